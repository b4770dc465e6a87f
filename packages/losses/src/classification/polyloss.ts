import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { crossEntropy } from './cross-entropy.js';

const options = {
  epsilons: opt.numbers([1], 'ε_1..ε_N: coefficients of (1 − p_t)^j, j = 1..N (Poly-1: one coefficient).'),
  labelSmoothing: opt.number(0, 'Label smoothing of the target, as in cross-entropy; p_t then follows the smoothed target.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type PolyLossOptions = OptionsOf<typeof options>;

/**
 * PolyLoss (Poly-1 / Poly-N): softmax cross-entropy with its leading polynomial coefficients perturbed.
 *
 * ℓᵢ = CE(zᵢ, qᵢ) + Σ_{j=1..N} ε_j (1 − p_t)^j, with q the (smoothed) target, p_t = Σ_k q_k softmax(z)_k (the
 * paper's code; p_t = p_y for a hard label). CE is the max-shifted `crossEntropy`; for a hard label without
 * smoothing 1 − p_y = −expm1(log p_y) exactly, otherwise 1 − Σ q p (no log is taken of it). The sigmoid
 * Poly-1 is `poly1FocalLoss` with γ = 0 and α < 0.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32), or class probabilities [N, C]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Leng et al., "PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions", ICLR 2022
 */
export function polyLoss(...args: Call<[input: Tensor, target: Tensor], PolyLossOptions>): Tensor {
  const [input, target, { epsilons, labelSmoothing, reduction }] = entry.check(args);
  const c = input.shape[1];
  const ce = crossEntropy(input, target, { labelSmoothing, reduction: 'none' });
  const logp = input.logSoftmax(-1);
  let oneMinusPt: Tensor;
  if (target.dtype === 'int32' && labelSmoothing === 0) {
    oneMinusPt = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1).expm1().neg();
  } else {
    const q = (target.dtype === 'int32' ? target.oneHot(c).cast(input.dtype) : target).mul(1 - labelSmoothing).add(labelSmoothing / c);
    oneMinusPt = q.mul(logp.exp()).sum(-1).neg().add(1);
  }
  let values = ce;
  epsilons.forEach((eps, j) => { if (eps !== 0) values = values.add(oneMinusPt.pow(j + 1).mul(eps)); });
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'polyloss',
  fn: polyLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', or: { shape: ['N', 'C'], dtype: 'float', domain: 'simplex' } },
  ],
  options,
  output: 'per-sample',
});
