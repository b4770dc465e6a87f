import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  full: opt.boolean(false, 'Add the constant ½·log(2π).'),
  eps: opt.number(1e-6, 'The variance is clamped to at least eps (in value only: see below).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type GaussianNllLossOptions = OptionsOf<typeof options>;

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * Gaussian negative log-likelihood, PyTorch's `F.gaussian_nll_loss`.
 *
 * ℓ = ½·(log max(σ², eps) + (x − y)²/max(σ², eps)) (+ ½·log 2π with full). The variance is
 * either input-shaped (heteroscedastic), input-shaped with the last dim missing or of size 1
 * (homoscedastic: shared along the last dim), as PyTorch's rules say. PyTorch clamps it under
 * no_grad, so the gradient reaches σ² as if unclamped (evaluated at the clamped value): the
 * clamp here is added as a detached offset to the same effect.
 *
 * @param input means x [N, ...]
 * @param target targets y [N, ...] (broadcastable to input)
 * @param variance σ² ≥ 0: the shape of input, or that shape with the last dim dropped or set to 1
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see Nix & Weigend, "Estimating the mean and variance of the target probability distribution", ICNN 1994
 */
export function gaussianNllLoss(...args: Call<[input: Tensor, target: Tensor, variance: Tensor], GaussianNllLossOptions>): Tensor {
  const [input, target, variance, { full, eps, reduction }] = entry.check(args);
  let v = variance;
  if (!same(v.shape, input.shape)) {
    const lead = input.shape.slice(0, -1);
    if (same(v.shape, lead)) v = v.unsqueeze(-1);
    else if (!(v.ndim > 0 && same(v.shape.slice(0, -1), lead) && v.shape[v.ndim - 1] === 1)) {
      throw new ShapeError('gaussianNllLoss', `variance of shape [${v.shape.join(', ')}] must have input's shape [${input.shape.join(', ')}], or that shape with the last dim dropped or 1`);
    }
  }
  const vc = v.add(v.clamp(eps).sub(v).detach());
  let values = vc.log().add(input.sub(target).square().div(vc)).mul(0.5);
  if (full) values = values.add(0.5 * Math.log(2 * Math.PI));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'gaussian-nll-loss',
  aliases: ['gaussian-nll'],
  fn: gaussianNllLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'variance', shape: ['...'], dtype: 'float', domain: 'nonneg' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Gaussian negative log-likelihood loss', category: 'pytorch', papers: [] },
});
