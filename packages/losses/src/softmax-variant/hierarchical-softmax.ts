import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { MASKED_SCORE } from '../parts/attention-mask.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type HierarchicalSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Two-level (class-based) hierarchical softmax: p(c | h) = p(cluster of c | h)·p(c | its cluster, h), each a softmax,
 * so a step costs about K + C/K instead of C.
 *
 * ℓ_i = −log_softmax(U h_i)[cl(y_i)] − log_softmax_{c: cl(c) = cl(y_i)}(V h_i)[y_i]: the cluster logits U h_i over all
 * K clusters, then the class logits V h_i over the classes of the target's cluster only. Both are max-shifted
 * logSoftmax/logsumexp; the classes of other clusters are set to −1e30 before the logsumexp (no −∞), so they get no
 * weight and no gradient.
 *
 * @param h hidden states [N, D]
 * @param target class indices [N] (int32)
 * @param u cluster weights [K, D]
 * @param v class weights [C, D] (class c's row is used within its cluster)
 * @param clusters the cluster of each class [C] (int32, in [0, K))
 * @param opts reduction (default 'mean')
 * @returns a scalar, or [N] with reduction 'none'
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, arXiv 2016 (the baseline); Goodman, Classes for fast maximum entropy training, ICASSP 2001
 *
 * Reading: the tree is given, not built: a class→cluster map (e.g. frequency bins of about √C classes) with the number
 * of clusters K set by u's rows; no biases (add a constant-1 feature to h for them).
 */
export function hierarchicalSoftmax(...args: Call<[h: Tensor, target: Tensor, u: Tensor, v: Tensor, clusters: Tensor], HierarchicalSoftmaxOptions>): Tensor {
  const [h, target, u, v, clusters, { reduction }] = entry.check(args);
  const yCluster = clusters.indexSelect(0, target); // [N]
  const clusterNll = h.matmul(u.transpose(-2, -1)).logSoftmax(-1).gather(-1, yCluster.unsqueeze(-1)).squeeze(-1).neg();
  const classLogits = h.matmul(v.transpose(-2, -1)); // [N, C]
  const sameCluster = clusters.unsqueeze(0).eq(yCluster.unsqueeze(-1)); // [N, C]
  const lse = classLogits.maskedFill(sameCluster.logicalNot(), MASKED_SCORE).logsumexp(-1);
  const classNll = lse.sub(classLogits.gather(-1, target.unsqueeze(-1)).squeeze(-1));
  return applyReduction(clusterNll.add(classNll), { reduction });
}

export const entry = defineLoss({
  id: 'hierarchical-softmax',
  fn: hierarchicalSoftmax,
  args: [
    { name: 'h', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'u', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
    { name: 'v', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'clusters', shape: ['C'], dtype: 'int', domain: 'label', classes: 'K' },
  ],
  options,
  output: 'per-sample',
  reading: 'The tree is given, not built: a class→cluster map tensor (e.g. frequency bins of about √C classes), the number of clusters K set by the cluster weights\' rows; two softmaxes (clusters, then classes within the target\'s cluster), no biases.',
});
