import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type F2cConsensusCeOptions = OptionsOf<typeof options>;

/**
 * Consensus cross-entropy of Flip-Flop Consistency (F²C): every prompt variant is trained towards the
 * majority-vote label of all variants.
 *
 * ŷ = the class most often argmax over the V variants (ties: the lowest class index; no gradient);
 * ℓ = (1/V)·Σ_v −log softmax(z_v)_ŷ, a max-shifted logSoftmax (finite at logits of ±1e4).
 *
 * @param input logits [N, V, C] (V prompt variants of each of N inputs)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Flip-Flop Consistency: Unsupervised Training for Robustness to Prompt Perturbations in LLMs", 2025
 */
export function f2cConsensusCrossEntropy(...args: Call<[input: Tensor], F2cConsensusCeOptions>): Tensor {
  const [input, { reduction }] = entry.check(args);
  const [, v, c] = input.shape;
  const votes = input.detach().argmax(-1).oneHot(c).sum(1); // [N, C]
  const consensus = votes.argmax(-1); // first maximum: the lowest class index on ties
  const logp = input.logSoftmax(-1);
  const picked = logp.gather(-1, consensus.unsqueeze(-1).unsqueeze(-1).expand([input.shape[0], v, 1])).squeeze(-1);
  return applyReduction(picked.mean(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'f2c-consensus-ce',
  fn: f2cConsensusCrossEntropy,
  args: [{ name: 'input', shape: ['N', 'V', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
  reading: 'Hard majority vote over the variants\' argmax, ties broken towards the lowest class index, each variant weighted 1/V; the companion alignment term is a separate entry.',
});
