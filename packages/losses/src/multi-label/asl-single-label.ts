import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logOneMinusTargetProb } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  gammaPos: opt.number(0, 'γ+: focusing exponent of the target class, (1 − p_y)^{γ+}.', '[0, inf)'),
  gammaNeg: opt.number(4, 'γ−: focusing exponent of the other classes, p_k^{γ−}.', '[0, inf)'),
  eps: opt.number(0.1, 'ε: label smoothing, q = (1 − ε)·onehot + ε/K.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type AslSingleLabelOptions = OptionsOf<typeof options>;

/**
 * ASL's single-label (softmax) variant: asymmetric focusing of the log-probabilities plus label smoothing.
 *
 * lp = log_softmax(z); w_y = (1 − p_y)^{γ+}, w_k = p_k^{γ−} (k ≠ y); q = (1 − ε)·onehot(y) + ε/K;
 * ℓᵢ = −Σ_k q_k·w_k·lp_k. Stable form: p_k^{γ−} = exp(γ−·lp_k) and (1 − p_y)^{γ+} = exp(γ+·log(1 − p_y)) with
 * log(1 − p_y) = logsumexp_{k≠y} z_k − logsumexp z. The weights carry gradient (not detached), as the reference class.
 *
 * @param input logits [N, K]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ridnik et al., "Asymmetric Loss For Multi-Label Classification", ICCV 2021 (ASLSingleLabel in the authors' code)
 */
export function aslSingleLabel(...args: Call<[input: Tensor, target: Tensor], AslSingleLabelOptions>): Tensor {
  const [input, target, { gammaPos, gammaNeg, eps, reduction }] = entry.check(args);
  const k = input.shape[1];
  const lp = input.logSoftmax(-1);
  const isTarget = target.oneHot(k).gt(0);
  const wNeg = gammaNeg === 0 ? lp.onesLike() : lp.mul(gammaNeg).exp();
  const wPos = gammaPos === 0 ? lp.newOnes([input.shape[0]]) : logOneMinusTargetProb(input, target).mul(gammaPos).exp();
  const w = isTarget.where(wPos.unsqueeze(-1), wNeg);
  const q = isTarget.cast(lp.dtype).mul(1 - eps).add(eps / k);
  return applyReduction(q.mul(w).mul(lp).sum(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'asl-single-label',
  fn: aslSingleLabel,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
