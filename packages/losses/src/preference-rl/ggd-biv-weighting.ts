import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  xi: opt.number(0.1, 'ξ: added to each variance, bounding the largest weight (unspecified in the catalog; BIV tunes it for a minimal effective batch size, 0.1 chosen).', '(0, inf)'),
  reduction: opt.reduction('sum'),
};
export type GgdBivWeightingOptions = OptionsOf<typeof options>;

/**
 * Batch inverse-variance (BIV) weighting of per-sample TD or policy losses, with the variances from the GGD
 * TD-error model (aleatoric, ggd-td-nll) plus an ensemble's (epistemic).
 *
 * w_i = (1/(σ²_i + ξ)) / Σ_j 1/(σ²_j + ξ); values w_i·ℓ_i, and L = Σ_i sg(w_i)·ℓ_i (the default reduction 'sum';
 * 'mean' divides by N as PyTorch's would). The weights are held constant: the variances get no gradient.
 *
 * Reading: the base BIV form; the paper's bias-reduction and kurtosis terms in the variance are not in the
 * abstract, so the caller passes the variance it wants weighted (e.g. α²·Γ(3/β)/Γ(1/β) + ensemble variance).
 *
 * @param losses per-sample losses ℓ [N]
 * @param variance per-sample variance estimates σ² [N] ≥ 0 (held constant)
 * @returns a scalar, or [N] (w·ℓ) with reduction 'none'
 * @see "Generalized Gaussian Temporal Difference Error for Uncertainty-aware Reinforcement Learning", 2024 (the catalog's source)
 * @see Mai, Mani & Paull, "Sample Efficient Deep Reinforcement Learning via Uncertainty Estimation", ICLR 2022
 */
export function ggdBivWeightingLoss(...args: Call<[losses: Tensor, variance: Tensor], GgdBivWeightingOptions>): Tensor {
  const [losses, variance, { xi, reduction }] = entry.check(args);
  const inv = variance.detach().add(xi).reciprocal();
  return applyReduction(losses.mul(inv.div(inv.sum())), { reduction });
}

export const entry = defineLoss({
  id: 'ggd-biv-weighting',
  fn: ggdBivWeightingLoss,
  args: [
    { name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'variance', shape: ['N'], dtype: 'float', domain: 'nonneg', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'Base BIV weights 1/(σ² + ξ) normalised over the batch, on a caller-supplied variance; the GGD bias-reduction and kurtosis terms are not built.',
});
