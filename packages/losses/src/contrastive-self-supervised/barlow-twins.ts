import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(0.005, 'λ: the weight of the off-diagonal (redundancy-reduction) term.', '[0, inf)'),
  eps: opt.number(1e-5, 'ε of the standardisation (z − mean)/√(var + ε): BatchNorm1d(affine=False), as the official code.', '(0, inf)'),
};
export type BarlowTwinsOptions = OptionsOf<typeof options>;

/** Each column standardised over the batch: (z − mean₀z)/√(var₀z + ε), biased variance (BatchNorm in training mode). */
function standardize(z: Tensor, eps: number): Tensor {
  const centred = z.sub(z.mean(0, true));
  return centred.div(centred.square().mean(0, true).add(eps).sqrt());
}

/**
 * Barlow Twins: drive the cross-correlation matrix of the two views' standardised embeddings to the identity.
 *
 * ẑ = (z − mean₀z)/√(var₀z + ε); C = ẑ_Aᵀ ẑ_B / N [D, D]; L = Σ_i (1 − C_ii)² + λ·Σ_{i≠j} C_ij².
 *
 * @param input embeddings of the first view z_A [N, D]
 * @param target embeddings of the second view z_B [N, D]
 * @returns a scalar
 * @see Zbontar et al., "Barlow Twins: Self-Supervised Learning via Redundancy Reduction", ICML 2021
 */
export function barlowTwinsLoss(...args: Call<[input: Tensor, target: Tensor], BarlowTwinsOptions>): Tensor {
  const [input, target, { lambda, eps }] = entry.check(args);
  const c = standardize(input, eps).T.matmul(standardize(target, eps)).div(input.shape[0]);
  const diag = c.diagonal();
  return diag.neg().add(1).square().sum().add(c.square().sum().sub(diag.square().sum()).mul(lambda));
}

export const entry = defineLoss({
  id: 'barlow-twins',
  fn: barlowTwinsLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
