import { cat, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type FetrilOptions = OptionsOf<typeof options>;

/** FeTrIL's translation: pseudo-features of a past class c from features f of a new class n, f − μ_n + μ_c. */
export function fetrilTranslate(features: Tensor, newCentroid: Tensor, pastCentroid: Tensor): Tensor {
  return features.sub(newCentroid).add(pastCentroid);
}

/**
 * FeTrIL: exemplar-free class-incremental learning with a frozen extractor; past classes are represented by
 * pseudo-features translated from new-class features, and a linear classifier is trained on both.
 *
 * For each past class c, its source is the new class n (among the batch's labels) whose centroid is most
 * similar to μ_c (cosine, the catalog's choice); its pseudo-features are f̂ = f − μ_n + μ_c for every
 * sample f of class n, labelled c. The loss is the cross-entropy of the linear classifier z = Wf + b over
 * the real rows [f; y] followed by the pseudo rows [f̂; c] (the paper also trains a LinearSVC: the hinge is
 * the classification group's). The choice of sources is a discrete step on the host; a batch without new
 * classes has only real rows.
 *
 * @param weight the linear classifier W [C, D]
 * @param bias its bias b [C]
 * @param features frozen features of the new-task samples [N, D]
 * @param labels their classes [N] (int32; the new classes)
 * @param centroids stored class centroids μ [C, D] (past classes' from earlier tasks, new classes' from this one)
 * @param past which classes are past classes [C] (bool)
 * @returns a scalar: the mean over the N real rows and the pseudo rows
 * @see Petit et al., "FeTrIL: Feature Translation for Exemplar-Free Class-Incremental Learning", WACV 2023
 */
export function fetrilPseudoFeatures(...args: Call<[weight: Tensor, bias: Tensor, features: Tensor, labels: Tensor, centroids: Tensor, past: Tensor], FetrilOptions>): Tensor {
  const [weight, bias, features, labels, centroids, past] = entry.check(args);
  const y = Array.from(labels.data());
  const isPast = Array.from(past.data());
  const sources = [...new Set(y)].filter((n) => !isPast[n]);
  const rows: Tensor[] = [features];
  const rowLabels = [...y];
  if (sources.length) {
    const unit = centroids.detach().div(centroids.detach().norm(2, -1, true));
    const sim = Array.from(unit.matmul(unit.transpose(0, 1)).data());
    const c = centroids.shape[0];
    isPast.forEach((p, k) => {
      if (!p) return;
      const n = sources.reduce((best, s) => (sim[k * c + s] > sim[k * c + best] ? s : best), sources[0]);
      const idx = y.flatMap((v, i) => (v === n ? [i] : []));
      rows.push(fetrilTranslate(features.indexSelect(0, tensor(idx, { dtype: 'int32', backend: features.backendName })), centroids.slice(0, n, n + 1), centroids.slice(0, k, k + 1)));
      idx.forEach(() => rowLabels.push(k));
    });
  }
  const x = rows.length > 1 ? cat(rows, 0) : features;
  const logits = x.matmul(weight.transpose(0, 1)).add(bias);
  const target = tensor(rowLabels, { dtype: 'int32', backend: features.backendName });
  const ce = logits.logsumexp(-1).sub(logits.gather(1, target.unsqueeze(1)).squeeze(1));
  return ce.mean();
}

export const entry = defineLoss({
  id: 'fetril-pseudo-features',
  fn: fetrilPseudoFeatures,
  args: [
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'bias', shape: ['C'], dtype: 'float', domain: 'real' },
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'centroids', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'past', shape: ['C'], dtype: 'bool', domain: 'mask' },
  ],
  options,
  output: 'batch',
});
