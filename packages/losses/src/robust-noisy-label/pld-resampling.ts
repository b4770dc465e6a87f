import { type Generator, multinomial, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  tau: opt.number(1, 'τ: the temperature of softmax(−l/τ) (not given in the catalog: 1).', '(0, inf)'),
};
export type PldResamplingOptions = OptionsOf<typeof options>;

/**
 * PLD (personal loss distribution) resampling: within each user's candidate pool, items with a low personal
 * loss (likely clean interactions) are sampled more often.
 *
 * P(i | u) = softmax_i(−l_ui/τ) over the pool, a max-shifted softmax (finite for any losses). `pldSample`
 * draws the items with a seeded Generator; the base recommender loss (BPR, BCE) is then applied to the
 * sampled items only.
 *
 * @param losses current per-item losses of each user's pool [U, k]
 * @returns sampling probabilities [U, k]
 * @see "Personalized Denoising Implicit Feedback for Robust Recommender System", WWW 2025
 */
export function pldResampling(...args: Call<[losses: Tensor], PldResamplingOptions>): Tensor {
  const [losses, { tau }] = entry.check(args);
  return losses.div(-tau).softmax(-1);
}

/** Draws `numSamples` pool positions per user [U, numSamples] (int32) from PLD's probabilities, with replacement. */
export function pldSample(losses: Tensor, numSamples: number, { tau = 1, generator }: { tau?: number; generator?: Generator } = {}): Tensor {
  return multinomial(pldResampling(losses.detach(), { tau }), numSamples, { replacement: true, generator });
}

export const entry = defineLoss({
  id: 'pld-resampling',
  fn: pldResampling,
  args: [{ name: 'losses', shape: ['U', 'K'], dtype: 'float', domain: 'real' }],
  options,
  output: 'same-as-input',
  reading: 'Sampling probability softmax(−l/τ) within each user\'s pool of k observed items, τ = 1 (no default given); the draw is a seeded multinomial helper (pldSample) and the base loss is the caller\'s.',
});
