import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform } from '../parts/class-stats.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Positive counts per class n [C] (> 0); absent: uniform counts.'),
  datasetSize: opt.number(null, 'N_tot: the number of training samples (p_c = n_c/N_tot, each < 1); absent: Σ_c n_c + 1.', '(0, inf)'),
  alpha: opt.number(0.1, 'α: the floor of the re-balancing weight α + σ(β(r − μ)).', '[0, inf)'),
  beta: opt.number(10, 'β: the slope of the re-balancing map.', '[0, inf)'),
  mu: opt.number(0.2, 'μ: the centre of the re-balancing map.'),
  kappa: opt.number(0.05, 'κ: the scale of the class-prior logit bias κ·logit(p_c).', '[0, inf)'),
  lambda: opt.number(2, 'λ: the negative-tolerant scale of the negatives\' logits.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type DistributionBalancedLossOptions = OptionsOf<typeof options>;

/**
 * Distribution-Balanced loss: BCE with re-balanced weights and negative-tolerant regularisation.
 *
 * Re-balancing: P^C_c = 1/n_c, P^I(x) = Σ_{c: y_c=1} 1/n_c, r_c = P^C_c/P^I(x), r̂_c = α + σ(β(r_c − μ)),
 * constant per sample (r̂ = 1 for a sample with no positive label). Negative-tolerant: p_c = n_c/N_tot,
 * ẑ_c = z_c + κ·logit(p_c); ℓᵢ = (1/C)Σ_c r̂_c[y_c·softplus(−ẑ_c) + (1/λ)(1 − y_c)·softplus(λẑ_c)],
 * mean over samples. The authors' released code after the fix of its issue 8.
 *
 * @param input logits [N, C]
 * @param target multi-hot targets [N, C]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wu et al., "Distribution-Balanced Loss for Multi-Label Classification in Long-Tailed Datasets", ECCV 2020
 */
export function distributionBalancedLoss(...args: Call<[input: Tensor, target: Tensor], DistributionBalancedLossOptions>): Tensor {
  const [input, target, { classCounts, datasetSize, alpha, beta, mu, kappa, lambda, reduction }] = entry.check(args);
  const c = input.shape[1];
  const n = countsOrUniform('distributionBalancedLoss', classCounts, input, c);
  const total = datasetSize ?? n.sum().item() + 1;
  if (n.amax().item() >= total) throw new ArgumentError('distributionBalancedLoss', `option 'datasetSize' (${total}) must exceed every class count (max ${n.amax().item()}): p_c = n_c/N_tot < 1`);
  const y = target.cast(input.dtype);
  const inv = n.reciprocal();
  const pI = y.mul(inv).sum(-1, true); // [N, 1]
  const hasPos = pI.gt(0);
  const r = inv.div(hasPos.where(pI, 1));
  const rHat = hasPos.where(r.sub(mu).mul(beta).sigmoid().add(alpha), 1);
  const p = n.div(total);
  const zz = input.add(p.log().sub(p.neg().log1p()).mul(kappa));
  const terms = y.mul(zz.neg().softplus()).add(y.neg().add(1).mul(zz.mul(lambda).softplus()).div(lambda));
  return applyReduction(rHat.mul(terms).mean(-1), { reduction });
}

export const entry = defineLoss({
  id: 'distribution-balanced-loss',
  fn: distributionBalancedLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
  notAtOptionEdges: { datasetSize: 'N_tot must exceed every class count (p_c = n_c/N_tot < 1, else logit(p_c) is infinite): smaller values are an ArgumentError' },
});
