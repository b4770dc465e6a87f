import { tensor, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  confidentRatio: opt.number(0.5, 'Fraction of each class\'s samples, most confident first, that define its centroid (not given in the catalog: half).', '(0, 1]'),
  reduction: opt.reduction('none'),
};
export type TabascoAcdOptions = OptionsOf<typeof options>;

/**
 * TABASCO's adaptive centroid distance: a per-sample score for the classes where WJSD does not separate.
 *
 * For each observed class k, the centroid c_k is the mean of the ℓ2-normalised features of its ⌈r·n_k⌉ most
 * confident samples (confidence p_{i,yᵢ}); ACDᵢ = 1 − cos(fᵢ, c_{yᵢ}). The selection is a host-side ranking
 * (held fixed: no gradient reaches the probabilities); the score is differentiable in the features. The
 * per-class two-component GMM split is the caller's.
 *
 * @param features sample features [N, D]
 * @param probs predicted class probabilities [N, C] (the confidence in the observed label is p_{i,yᵢ})
 * @param target observed labels [N] (int32)
 * @returns [N] (reduction 'none', the default), or their sum or mean
 * @see Lu et al., "Label-Noise Learning with Intrinsically Long-Tailed Data", ICCV 2023
 */
export function tabascoAcd(...args: Call<[features: Tensor, probs: Tensor, target: Tensor], TabascoAcdOptions>): Tensor {
  const [features, probs, target, { confidentRatio, reduction }] = entry.check(args);
  const c = probs.shape[1];
  const labels = Array.from(target.data());
  const conf = Array.from(probs.detach().gather(-1, target.unsqueeze(-1)).squeeze(-1).data());
  const chosen = new Array<number>(labels.length).fill(0);
  for (let k = 0; k < c; k++) {
    const members = labels.map((y, i) => (y === k ? i : -1)).filter((i) => i >= 0).sort((a, b) => conf[b] - conf[a] || a - b);
    members.slice(0, Math.ceil(confidentRatio * members.length)).forEach((i) => { chosen[i] = 1; });
  }
  const unit = features.div(features.norm(2, -1, true).clamp(1e-12));
  const pick = target.oneHot(c).cast(features.dtype).mul(tensor(chosen, { dtype: features.dtype, backend: features.backendName }).unsqueeze(-1)); // [N, C]
  const centroids = pick.transpose(0, 1).matmul(unit).div(pick.sum(0).clamp(1).unsqueeze(-1)); // [C, D]
  const own = centroids.indexSelect(0, target); // [N, D]
  const cos = unit.mul(own).sum(-1).div(own.norm(2, -1).clamp(1e-12));
  return applyReduction(cos.neg().add(1), { reduction });
}

export const entry = defineLoss({
  id: 'tabasco-acd',
  fn: tabascoAcd,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'probs', shape: ['N', 'C'], dtype: 'float', domain: 'simplex', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'One pass, no iterative re-estimation: each class centroid is the mean normalised feature of its ⌈r·n_k⌉ most confident samples (ties by index), r = 0.5 chosen; the score is 1 − cos to the own-label centroid; the GMM split is the caller\'s.',
});
