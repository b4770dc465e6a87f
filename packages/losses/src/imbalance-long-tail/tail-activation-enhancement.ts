import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logPriors } from '../parts/class-stats.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); π = n/Σn.'),
  classPriors: opt.tensor(['C'], 'Training class priors π [C] (> 0, renormalised); give counts or priors, not both; neither: uniform (no boost).'),
  tau: opt.number(1, 'τ: strength of the tail boost z − τ·log π (1 is the Bayes-consistent logit adjustment).', '[0, inf)'),
  center: opt.tensor(['C'], 'The one-class centre [C]: the mean calibrated logits of the labelled (skewed) training set; null: the batch mean.'),
  autoencoder: opt.func<(z: Tensor) => Tensor>('The one-class model ẑ = g(z) [N, C] (the authors\' minority-class mining autoencoder, trained on the training set\'s calibrated logits); null: the centre (a rank-0 reconstruction).'),
  reduction: opt.reduction('none'),
};
export type TailActivationEnhancementOptions = OptionsOf<typeof options>;

/**
 * Minority-class mining score: tail-boosted (re-calibrated) logits scored by a one-class reconstruction error.
 *
 * z = a − τ·log π (the subdued tail-class activations raised by the log prior, in place of the authors' learned
 * re-calibration layer), ẑ = g(z) with g the caller's one-class model (default: the centre m, so the score is the
 * squared distance to the training set's mean calibrated logits), sᵢ = ‖zᵢ − ẑᵢ‖². A high score flags a likely
 * tail-class example (anomalous activation pattern) to send for labelling.
 * After the authors' framework (README of their MMM 2022 code: RC layer → MCM autoencoder → reconstruction error).
 *
 * @param input logits / final-layer activations of the existing model a [N, C]
 * @returns scores [N] (reduction 'none', the default), or their sum / mean
 * @see Singh et al., "Mining Minority-class Examples With Uncertainty Estimates", MMM 2022
 */
export function tailActivationEnhancement(...args: Call<[input: Tensor], TailActivationEnhancementOptions>): Tensor {
  const [input, { classCounts, classPriors, tau, center, autoencoder, reduction }] = entry.check(args);
  const z = input.sub(logPriors('tailActivationEnhancement', classCounts, classPriors, input, input.shape[1]).mul(tau));
  const recon = autoencoder ? autoencoder(z) : center ? center.cast(z.dtype).unsqueeze(0) : z.mean(0, true);
  return applyReduction(z.sub(recon).square().sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'tail-activation-enhancement',
  fn: tailActivationEnhancement,
  args: [{ name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
  reading: 'Tail boost by logit adjustment z = a − τ·log π (standing in for the learned re-calibration layer), then the one-class reconstruction error ‖z − g(z)‖² with the caller\'s autoencoder g as a callback (default: the centre of the training set\'s calibrated logits, or the batch mean); the autoencoder\'s training is the caller\'s.',
});
