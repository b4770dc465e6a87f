import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';
import { applyReduction } from '../reduce.js';

const options = {
  classWeight: opt.tensor(['C'], 'w_c: per-class BCE weights [C] (e.g. inverse label frequency); absent: 1.'),
  lambda1: opt.number(0.1, 'λ₁: weight of the label-correlation term; the paper gives none: 0.1, an auxiliary term at a tenth of the BCE.', '[0, inf)'),
  lambda2: opt.number(0.1, 'λ₂: weight of the contrastive term; the paper gives none: 0.1, likewise.', '[0, inf)'),
  tau: opt.number(0.1, 'τ: the contrastive temperature; the paper gives none: 0.1, the SupCon family\'s usual value.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type HybridMultilabelLossOptions = OptionsOf<typeof options>;

/**
 * Hybrid multi-label loss: class-weighted binary cross-entropy, a label-correlation term and a multi-label
 * supervised contrastive term.
 *
 * ℓᵢ = Σ_c w_c·BCE(z_ic, y_ic) + λ₁·Σ_{j,k} A_jk·(p_ij − p_ik)² + λ₂·ℓᵢ^con, with p = σ(z), BCE = softplus(z) − y·z
 * (stable at |z| = 1e4); ℓᵢ^con = −mean_{p ∈ P(i)} log softmax_{a ≠ i}(z_i·z_a/τ)_p on L2-normalised embeddings, P(i) =
 * the other samples sharing at least one label with i (0 where there is none; the masked, max-shifted logSoftmax of
 * parts/contrastive-infonce).
 *
 * @param logits label logits z [N, C]
 * @param target multi-hot labels y [N, C]
 * @param cooccurrence label co-occurrence A [C, C] (non-negative, from the training set)
 * @param embeddings sample embeddings e [N, D]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see "Improving Arabic Multi-Label Emotion Classification using Stacked Embeddings and Hybrid Loss Function", 2024
 */
export function hybridMultilabelLoss(...args: Call<[logits: Tensor, target: Tensor, cooccurrence: Tensor, embeddings: Tensor], HybridMultilabelLossOptions>): Tensor {
  const [logits, target, cooccurrence, embeddings, { classWeight, lambda1, lambda2, tau, reduction }] = entry.check(args);
  const bce = logits.softplus().sub(target.mul(logits));
  const weighted = (classWeight ? bce.mul(classWeight) : bce).sum(-1);
  const p = logits.sigmoid();
  const corr = p.unsqueeze(2).sub(p.unsqueeze(1)).square().mul(cooccurrence).sum([1, 2]);
  const n = logits.shape[0];
  let con = weighted.mul(0);
  if (n > 1) {
    const z = l2Normalize(embeddings);
    const others = offDiagonal(n, z);
    const positives = target.matmul(target.T).gt(0).logicalAnd(others);
    con = softmaxContrast(z.matmul(z.T).div(tau), positives, { candidates: others });
  }
  return applyReduction(weighted.add(corr.mul(lambda1)).add(con.mul(lambda2)), { reduction });
}

export const entry = defineLoss({
  id: 'hybrid-multilabel-loss',
  fn: hybridMultilabelLoss,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
    { name: 'cooccurrence', shape: ['C', 'C'], dtype: 'float', domain: 'nonneg' },
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: "The catalog's reading, per sample: Σ_c w_c·BCE + λ₁·Σ_{j,k} A_jk (p_j − p_k)² + λ₂·(SupCon with positives = samples sharing ≥ 1 label, τ), λ₁ = λ₂ = τ = 0.1 (the paper gives no values); an anchor without a positive contributes 0 to the contrastive term and still counts in the mean.",
});
