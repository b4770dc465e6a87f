import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  beta: opt.number(1, 'β: the weight of the density-smoothness regulariser; the catalog gives none and the value is problem-dependent (it scales with r²), so 1 is a neutral default to tune.', '[0, inf)'),
};
export type AasMinmaxOptions = OptionsOf<typeof options>;

/**
 * Adversarial adaptive sampling (AAS): the saddle objective of a PINN residual r_θ and a deep generative sampler p_α.
 *
 * J(θ, α) = E_{x∼p_α}[r_θ(x)²] − β·∫|∇_x p_α|² dx, estimated from draws xᵢ ∼ p_α as mean r(xᵢ)² − β·mean p(xᵢ)·‖∇ log p(xᵢ)‖²
 * (∫|∇p|² = E_p[|∇p|²/p] = E_p[p·|∇ log p|²]). θ minimises J, α maximises it (descend on −J). For fixed r the inner
 * maximiser solves −2βΔp = r² − const, and the optimum is ‖r² − mean r²‖²_{Ḣ⁻¹}/(4β): the linearised Wasserstein
 * distance between the residual-induced and the uniform density, the quantity the abstract says is embedded.
 *
 * @param residual r_θ(xᵢ) at the sampler's draws [N] (reparameterised draws, so gradients reach α through xᵢ too)
 * @param logDensity log p_α(xᵢ) [N]
 * @param gradLogDensity ∇ₓ log p_α(xᵢ) [N, D] (from grad(logDensity.sum(), x, { createGraph: true }))
 * @returns a scalar
 * @see Tang et al., "Adversarial Adaptive Sampling: Unify PINN and Optimal Transport for the Approximation of PDEs", ICLR 2024
 */
export function aasMinmax(...args: Call<[residual: Tensor, logDensity: Tensor, gradLogDensity: Tensor], AasMinmaxOptions>): Tensor {
  const [residual, logDensity, gradLogDensity, { beta }] = entry.check(args);
  const smoothness = logDensity.exp().mul(gradLogDensity.square().sum(1)).mean();
  return residual.square().mean().sub(smoothness.mul(beta));
}

export const entry = defineLoss({
  id: 'aas-minmax',
  fn: aasMinmax,
  args: [
    { name: 'residual', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'logDensity', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'gradLogDensity', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'Reg(p) = ∫|∇ₓp|² dx (the H¹ penalty whose dual gives the Ḣ⁻¹, i.e. linearised W₂, distance of r² to uniform), Monte-Carlo estimated from the sampler\'s own draws; the residual network, the flow sampler, its log-density and ∇ₓ log p (by autograd with createGraph) are the caller\'s tensors. No authors\' code was found, so this form is a reading of the abstract.',
});
