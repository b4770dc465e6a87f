import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type BprOptions = OptionsOf<typeof options>;

/**
 * BPR (Bayesian personalised ranking) pairwise loss: the positive item should outscore the sampled negative.
 *
 * ℓ = −log σ(s_ui − s_uj) = softplus(s_uj − s_ui), the softplus form finite at scores of ±1e4.
 *
 * @param input scores of the positive items s_ui [N]
 * @param negative scores of the sampled negative items s_uj [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009
 */
export function bprLoss(...args: Call<[input: Tensor, negative: Tensor], BprOptions>): Tensor {
  const [pos, neg, { reduction }] = entry.check(args);
  return applyReduction(neg.sub(pos).softplus(), { reduction });
}

export const entry = defineLoss({
  id: 'bpr-loss',
  fn: bprLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'negative', shape: ['N'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'elementwise',
});
