import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda1: opt.number(1, 'λ₁: weight of the mutual-information term (tuned per task in the paper; 1 by default).', '[0, inf)'),
  lambda2: opt.number(1, 'λ₂: weight of the marginal regulariser (tuned per task in the paper; 1 by default).', '[0, inf)'),
  prior: opt.tensor(['C'], 'The label prior of the regulariser [C] (default uniform).'),
};
export type DivdisDiversityOptions = OptionsOf<typeof options>;

/**
 * DivDis's diversity objective over H heads on an unlabeled target batch.
 *
 * P_h = mean_n p_h(x_n) [C]; P_ij = mean_n p_i(x_n)p_j(x_n)ᵀ [C, C];
 * L = λ₁·Σ_{i≠j} KL(P_ij ‖ P_i ⊗ P_j) + λ₂·Σ_h KL(P_h ‖ prior). Each KL is Σ P·(log P − log Q) with the logs taken
 * of max(·, 1e-30): an entry with P = 0 adds exactly 0 with a finite gradient (one-hot heads stay finite).
 *
 * @param input per-head probabilities p [H, N, C]
 * @returns a scalar
 * @see Lee, Yao & Finn, "Diversify and Disambiguate: Out-of-Distribution Robustness via Disagreement", ICLR 2023
 *   (analysed in Benoit et al., "Unraveling the Key Components of OOD Generalization via Diversification", ICLR 2024)
 */
export function divdisDiversity(...args: Call<[input: Tensor], DivdisDiversityOptions>): Tensor {
  const [p, { lambda1, lambda2, prior }] = entry.check(args);
  const [h, , c] = p.shape;
  const safeLog = (t: Tensor) => t.clamp(1e-30).log(); // a normal float32 too
  const marginal = p.mean(1); // [H, C]
  const joint = p.unsqueeze(1).unsqueeze(-1).mul(p.unsqueeze(0).unsqueeze(-2)).mean(2); // [H, H, C, C]
  const product = marginal.unsqueeze(1).unsqueeze(-1).mul(marginal.unsqueeze(0).unsqueeze(-2)); // [H, H, C, C]
  const kl = joint.mul(safeLog(joint).sub(safeLog(product))).sum([-2, -1]); // [H, H]
  const offDiagonal = p.newOnes([h, h]).sub(p.newOnes([h]).diag());
  const mi = kl.mul(offDiagonal).sum();
  const q = prior ?? p.newFull([c], 1 / c);
  const reg = marginal.mul(safeLog(marginal).sub(safeLog(q))).sum();
  return mi.mul(lambda1).add(reg.mul(lambda2));
}

export const entry = defineLoss({
  id: 'divdis-diversity',
  fn: divdisDiversity,
  args: [{ name: 'input', shape: ['H', 'N', 'C'], dtype: 'float', domain: 'simplex' }],
  options,
  output: 'batch',
  reading: 'The catalog\'s form: the sum over ordered pairs i ≠ j of KL(P_ij ‖ P_i ⊗ P_j) plus Σ_h KL(P_h ‖ prior), uniform prior by default; λ₁ = λ₂ = 1 (the paper tunes them).',
});
