import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';

const options = {
  tau: opt.number(1, 'τ: multiplies the cosine similarities inside exp (the authors\' --tau, default 1).', '(0, inf)'),
  hard: opt.boolean(true, 'Pool the meta-nodes by the detached argmax of the assignment, as the authors\' code (one_hot(q.detach().argmax(1))); false: by the soft assignment C itself (M = CᵀZ, the abstract\'s "learnt soft cluster assignments"; gradient into C).'),
};
export type PamcOptions = OptionsOf<typeof options>;

/** The 1e-10 guard inside the authors' logs: log(x + 1e-10). */
const GUARD = Math.log(1e-10);

/**
 * PAMC: a node contrastive loss whose negatives are the c meta-nodes (cluster sums) instead of all N² node pairs.
 *
 * With s_ij = cos(zᵢ, z_j) for i ≠ j and s_ii = 0, meta-nodes M = Hᵀ Z (H: the cluster assignment, [N, c]) and
 * m_ab = cos(M_a, M_b) for a ≠ b, m_aa = 0, over the c′ non-empty clusters:
 *   L = −(1/N)·Σᵢ log(Σ_j A_ij·exp(τ·s_ij) + 1e-10) + (1/c′)·Σ_a log Σ_b exp(τ·m_ab).
 * Stable form: both sums are log-sum-exps (log A_ij added to the exponent, −∞ where A_ij = 0), and the guard is
 * logaddexp(·, log 1e-10); a node without any neighbour contributes log 1e-10 with no gradient, as in the authors'
 * code. Follows the authors' code, gayanku/PAMC train.py (`NcontrastCC` with `get_feature_dis` and the meta-node
 * pooling of `train_scgc_trimPOS_CC`); empty clusters are left out of the negatives (their zero meta-node gives
 * 0/0 there).
 *
 * @param input node embeddings Z [N, D]
 * @param assignment soft cluster assignment C [N, K] (rows on the simplex; its argmax is the hard cluster)
 * @param adjacency positive weights A [N, N] ≥ 0 (e.g. the r-th power of the normalised kNN adjacency; data, held constant)
 * @returns a scalar
 * @see Kulatilleke et al., "Efficient block contrastive learning via parameter-free meta-node approximation", arXiv 2022
 */
export function pamc(...args: Call<[input: Tensor, assignment: Tensor, adjacency: Tensor], PamcOptions>): Tensor {
  const [z, assignment, adjacency, { tau, hard }] = entry.check(args);
  const [n, k] = assignment.shape;
  const offDiag = z.newOnes([n, n]).sub(z.newOnes([n]).diagEmbed());
  const s = cosineSimilarityMatrix(z, z).mul(offDiag).mul(tau);
  const a = adjacency.detach(); // the graph is data
  const hasEdge = a.gt(0);
  const logA = hasEdge.where(hasEdge.where(a, 1).log(), -Infinity);
  const anyEdge = hasEdge.any(1);
  const lse = anyEdge.unsqueeze(1).where(s.add(logA), 0).logsumexp(1); // a row without edges: a finite dummy, discarded below
  const pos = anyEdge.where(lse.logaddexp(lse.newFull([], GUARD)), GUARD);
  const h = hard ? assignment.detach().argmax(1).oneHot(k).cast(z.dtype) : assignment;
  const meta = h.T.matmul(z); // [K, D]
  const used = h.sum(0).gt(0); // non-empty clusters
  const usedPair = used.unsqueeze(1).logicalAnd(used.unsqueeze(0));
  const offMeta = z.newOnes([k, k]).sub(z.newOnes([k]).diagEmbed());
  const m = cosineSimilarityMatrix(meta, meta).mul(offMeta).mul(tau);
  const neg = usedPair.where(m, -Infinity).maskedFill(used.logicalNot().unsqueeze(1), 0).logsumexp(1);
  const usedCount = used.cast(z.dtype).sum();
  return pos.mean().neg().add(used.where(neg, 0).sum().div(usedCount));
}

export const entry = defineLoss({
  id: 'pamc',
  fn: pamc,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'assignment', shape: ['N', 'K'], dtype: 'float', domain: 'simplex' },
    { name: 'adjacency', shape: ['N', 'N'], dtype: 'float', domain: 'nonneg', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading:
    "The authors' released dense form (gayanku/PAMC, NcontrastCC): the positive term is Graph-MLP's neighbourhood contrast with the adjacency " +
    'weights A as positives, the negative term a log-sum-exp over meta-node cosine similarities, meta-nodes pooled by the detached hard ' +
    'argmax of the assignment (option hard); the graph (A, e.g. a kNN power) and the assignment (the clustering head) are arguments.',
});
