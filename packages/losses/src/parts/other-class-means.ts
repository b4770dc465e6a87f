/**
 * Per-class statistics of features for the neural-collapse diagnostics (CDNV, NC1–NC4): the means and the
 * within-class variances of the classes present in a batch, found by one-hot segment sums.
 */
import { type Tensor, tensor } from '@graft/core';

export interface ClassStats {
  /** The class indices present, ascending [K] (int32). */
  classes: Tensor;
  /** One-hot membership of the samples in the present classes [N, K]. */
  onehot: Tensor;
  /** Class means μ_k [K, D]. */
  means: Tensor;
  /** Within-class variances mean_{x∈k} ‖f(x) − μ_k‖² [K]. */
  variances: Tensor;
}

/**
 * Means and variances of the classes that have samples (the one host read is the class counts, which decide
 * the present classes; classes without samples are left out).
 */
export function classMeansAndVariances(features: Tensor, target: Tensor): ClassStats {
  const c = target.size ? target.max().item() + 1 : 1;
  const counts = target.bincount(undefined, c).data();
  const present = Array.from(counts).flatMap((n, k) => (n > 0 ? [k] : []));
  const classes = tensor(present, { dtype: 'int32', backend: features.backendName });
  const onehot = target.oneHot(c).indexSelect(1, classes).cast(features.dtype); // [N, K]
  const n = onehot.sum(0); // [K], every entry ≥ 1
  const means = onehot.transpose(0, 1).matmul(features).div(n.unsqueeze(1));
  const centred = features.sub(onehot.matmul(means)); // f(x) − μ_{y(x)}
  const variances = onehot.transpose(0, 1).matmul(centred.square().sum(-1, true)).squeeze(1).div(n);
  return { classes, onehot, means, variances };
}
