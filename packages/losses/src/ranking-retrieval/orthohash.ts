import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineLogits, marginSoftmax } from '../parts/margin-softmax.js';

const options = {
  scale: opt.number(8, 's: the logit scale.', '(0, inf)'),
  margin: opt.number(0.2, 'm: the additive cosine margin at the target code.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type OrthohashOptions = OptionsOf<typeof options>;

/**
 * OrthoHash: one cosine-similarity objective against fixed binary orthogonal class codes.
 *
 * a_c = s·(cos(v, o_c) − m·1[c = y]); ℓ = CE(a, y) (max-shifted logsumexp): a CosFace-style margin softmax
 * (parts/margin-softmax) whose class weights are the fixed ±1 codes. Maximising the cosine to the code does
 * discrimination and quantisation at once; test-time codes are sign(v).
 *
 * @param input continuous codes v [N, K] (after the paper's BatchNorm)
 * @param codes binary class codes O [C, K] in {−1, +1} (Hadamard or Bernoulli; fixed)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hoe et al., "One Loss for All: Deep Hashing with a Single Cosine Similarity based Learning Objective", NeurIPS 2021
 */
export function orthohashLoss(...args: Call<[input: Tensor, codes: Tensor, target: Tensor], OrthohashOptions>): Tensor {
  const [v, codes, target, { scale, margin, reduction }] = entry.check(args);
  return applyReduction(marginSoftmax({ s: scale, m3: margin })(cosineLogits(v, codes), target), { reduction });
}

export const entry = defineLoss({
  id: 'orthohash',
  fn: orthohashLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'codes', shape: ['C', 'D'], dtype: 'float', domain: 'sign' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
