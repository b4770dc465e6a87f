import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  gamma: opt.number(2, 'γ: the focusing exponent of (1 − p_t)^γ.', '[0, inf)'),
  alpha: opt.number(0.25, 'α: weight of the positives (1 − α of the negatives); a negative α disables the weighting.', '(-inf, 1]'),
  epsilon: opt.number(-1, 'ε: coefficient of the first polynomial term (1 − p_t)^{γ+1} (negative values suit detection).', '[-1, inf)'),
  reduction: opt.reduction(),
};
export type Poly1FocalOptions = OptionsOf<typeof options>;

/**
 * Poly-1 focal loss: the sigmoid focal loss plus ε times its leading polynomial term.
 *
 * ℓ = −α_t(1 − p_t)^γ·log p_t + ε(1 − p_t)^{γ+1}, p_t = σ(z) for t = 1 and 1 − σ(z) for t = 0, α_t = α·t +
 * (1 − α)(1 − t). Stable form: log p_t = log σ(±z) and log(1 − p_t) = log σ(∓z) (softplus forms), and the
 * powers are exp(γ·log(1 − p_t)), so values and gradients are finite at logits of ±1e4 for any γ > 0. Class
 * indices [N] against logits [N, C] are one-hot targets, as in the paper's code (sigmoid per class). For
 * detection, PolyLoss normalises the sum by the number of positives: use reduction 'sum' and divide.
 *
 * @param input logits z [N, ...]
 * @param target binary targets {0, 1} shaped like input, or class indices [N] (int32) for logits [N, C]
 * @returns a scalar, or the elementwise losses with reduction 'none'
 * @see Leng et al., "PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions", ICLR 2022
 */
export function poly1FocalLoss(...args: Call<[input: Tensor, target: Tensor], Poly1FocalOptions>): Tensor {
  const [input, target, { gamma, alpha, epsilon, reduction }] = entry.check(args);
  const t = (target.dtype === 'int32' ? target.oneHot(input.shape[1]) : target).cast(input.dtype);
  const pos = t.gt(0.5);
  const logPt = pos.where(input.logSigmoid(), input.neg().logSigmoid());
  const log1mPt = pos.where(input.neg().logSigmoid(), input.logSigmoid());
  let focal = log1mPt.mul(gamma).exp().mul(logPt).neg();
  if (alpha >= 0) focal = focal.mul(t.mul(2 * alpha - 1).add(1 - alpha));
  return applyReduction(focal.add(log1mPt.mul(gamma + 1).exp().mul(epsilon)), { reduction });
}

export const entry = defineLoss({
  id: 'poly-1-focal',
  fn: poly1FocalLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'binary', or: { shape: ['N'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'elementwise',
});
