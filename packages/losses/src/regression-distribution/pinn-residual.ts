import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  boundaryWeight: opt.number(1, 'λ_b: the weight of the boundary/initial-condition term.', '[0, inf)'),
};
export type PinnResidualOptions = OptionsOf<typeof options>;

/**
 * PINN residual loss: L = mean_i r_θ(x_i)² + λ_b·mean_j r_b(x_j)², the Monte-Carlo estimate of E_{x∼p}[r_θ(x)²] at
 * collocation points plus the boundary term. The residual r_θ(x) = N[u_θ](x) − f(x) is the caller's: evaluate the
 * network at points with requiresGrad, take the input derivatives the operator needs with `grad(..., {createGraph:
 * true})`, form N[u_θ] − f, and pass it here (and u_θ − g on the boundary); the graph carries θ's gradient through.
 *
 * @param residual PDE residuals r_θ(x_i) at the interior collocation points [N]
 * @param boundary optional boundary/initial-condition residuals [M]
 * @returns a scalar
 * @see Raissi, Perdikaris & Karniadakis, "Physics-informed neural networks", J. Comput. Phys. 2019; AAS (the catalog's paper)
 */
export function pinnResidualLoss(...args: Call<[residual: Tensor, boundary?: Tensor], PinnResidualOptions>): Tensor {
  const [r, rb, { boundaryWeight }] = entry.check(args);
  const interior = r.square().mean();
  return rb ? interior.add(rb.square().mean().mul(boundaryWeight)) : interior;
}

export const entry = defineLoss({
  id: 'pinn-residual',
  fn: pinnResidualLoss,
  args: [
    { name: 'residual', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'boundary', shape: ['M'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
});
