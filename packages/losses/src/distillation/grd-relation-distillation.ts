import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { temperedLogSoftmax } from '../parts/distill-kl.js';

const options = {
  form: opt.oneOf(['mse', 'kl'], 'mse', "'mse': squared differences of the relation matrices; 'kl': KL between their row softmaxes at `temperature`."),
  temperature: opt.number(1, 'τ of the KL form\'s row softmaxes over cosine similarities (the catalog gives none; 1 keeps them as they are).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type GrdRelationDistillationOptions = OptionsOf<typeof options>;

/** Pairwise cosine similarities within the batch: x [N, D] → [N, N], rows normalised as F.normalize (norm floored at 1e-12). */
const relation = (x: Tensor): Tensor => cosineSimilarityMatrix(x, x);

/**
 * Gradient-balanced relation distillation: the new model keeps the old model's relations between the batch's samples.
 *
 * R = û·ûᵀ, û the L2-normalised features (pairwise cosines). 'mse': ℓᵢ = mean_j w_ij·(R_new,ij − sg(R_old,ij))²;
 * 'kl': ℓᵢ = Σ_j w_ij·p_ij·(log p_ij − log q_ij), p = softmax(sg(R_old,i)/τ), q = softmax(R_new,i/τ) (log space).
 * The weights w (per pair [N, N], or per sample [N] broadcast over j) carry the class-wise gradient balance,
 * computed by the caller and held constant; absent, 1. The old model's features are detached.
 *
 * @param input new-model features F_new [N, D]
 * @param teacher old-model features F_old [N, D] (held constant)
 * @param weight optional balance weights w [N, N] or [N] (≥ 0, held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Dong et al., "Heterogeneous Forgetting Compensation for Class-Incremental Learning", ICCV 2023
 */
export function grdRelationDistillationLoss(...args: Call<[input: Tensor, teacher: Tensor, weight?: Tensor], GrdRelationDistillationOptions>): Tensor {
  const [input, teacher, weight, { form, temperature, reduction }] = entry.check(args);
  const rNew = relation(input);
  const rOld = relation(teacher.detach());
  const w = weight ? weight.detach().reshape(weight.ndim === 1 ? [-1, 1] : weight.shape) : null;
  let terms: Tensor;
  if (form === 'mse') terms = rNew.sub(rOld).square();
  else {
    const logP = temperedLogSoftmax(rOld, temperature);
    terms = logP.exp().mul(logP.sub(temperedLogSoftmax(rNew, temperature)));
  }
  if (w) terms = terms.mul(w);
  return applyReduction(form === 'mse' ? terms.mean(-1) : terms.sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'grd-relation-distillation',
  fn: grdRelationDistillationLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'teacher', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'weight', shape: ['N', 'N'], dtype: 'float', domain: 'nonneg', optional: true, stopGradient: true, or: { shape: ['N'], dtype: 'float', domain: 'nonneg' } },
  ],
  options,
  output: 'per-sample',
  reading: 'Relational KD on the batch\'s pairwise cosine matrices, R = normalize(F)·normalize(F)ᵀ: mean_j w_ij (R_new − R_old)² per row (or the KL between row softmaxes at τ), with the gradient-balance weights an input held constant (their class-wise rule is not in the abstract).',
});
