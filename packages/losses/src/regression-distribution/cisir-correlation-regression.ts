import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(1, 'λ: the weight of 1 − PCC (catalog null: 1, both terms at unit weight).', '[0, inf)'),
  eps: opt.number(1e-8, 'ε added to the product of the norms in the PCC denominator.', '(0, inf)'),
};
export type CisirCorrelationRegressionOptions = OptionsOf<typeof options>;

/**
 * Correlation-augmented regression loss (CISIR): importance-weighted MSE plus a penalty on low Pearson correlation.
 *
 * L = mean_i w_i·(ŷ_i − y_i)² + λ·(1 − PCC(ŷ, y)), PCC = Σ(ŷ − ŷ̄)(y − ȳ)/(√Σ(ŷ − ŷ̄)²·√Σ(y − ȳ)² + ε).
 * Reading: the two terms add, the PCC is unweighted over the batch; w_i are the paper's MDI importance weights
 * (absent: 1), computed by the caller.
 *
 * @param input predictions ŷ [N]
 * @param target targets y [N]
 * @param weight optional importance weights w [N]
 * @returns a scalar
 * @see "Highly Imbalanced Regression with Tabular Data in SEP and Other Applications", 2025
 */
export function cisirCorrelationRegressionLoss(...args: Call<[input: Tensor, target: Tensor, weight?: Tensor | null], CisirCorrelationRegressionOptions>): Tensor {
  const [yhat, y, w, { lambda, eps }] = entry.check(args);
  const se = yhat.sub(y).square();
  const mse = (w ? se.mul(w) : se).mean();
  const a = yhat.sub(yhat.mean());
  const b = y.sub(y.mean());
  // √(Σa²·Σb²), with the 0 of a constant batch (N = 1) taken through where: its derivative would be 0/0.
  const d = a.square().sum().mul(b.square().sum());
  const pos = d.gt(0);
  const pcc = a.mul(b).sum().div(pos.where(d, 1).sqrt().mul(pos.cast(d.dtype)).add(eps));
  return mse.add(pcc.neg().add(1).mul(lambda));
}

export const entry = defineLoss({
  id: 'cisir-correlation-regression',
  fn: cisirCorrelationRegressionLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['N'], dtype: 'float', domain: 'nonneg', optional: true, stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'mean(w·(ŷ − y)²) + λ·(1 − PCC(ŷ, y)), the PCC unweighted over the batch, ε in its denominator.',
});
