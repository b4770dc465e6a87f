import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineSimilarityMatrix, l2Normalize } from '../parts/distances.js';

const options = {
  k: opt.integer(3, 'Neighbours per node in each view\'s kNN graph (by cosine similarity; at most N − 1). Not given in the catalog: 3 keeps a sparse local structure at small batches.', '[0, inf)'),
  lambda: opt.number(1, 'λ: the weight of the second-order (edge-to-edge) affinity against the first-order (node) one.', '[0, inf)'),
  tau: opt.number(0.05, 'τ: the Sinkhorn temperature (pygmtools\' default sk_tau 0.05).', '(0, inf)'),
  sinkhornIters: opt.integer(20, 'Sinkhorn normalisation sweeps (row then column) per assignment (pygmtools\' default 20).', '[1, inf)'),
  rounds: opt.integer(3, 'Graduated-assignment rounds: the second-order term is re-linearised at the current soft matching this many times.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type LvmMedGraphMatchingOptions = OptionsOf<typeof options>;

/** The kNN adjacency of one view (bool [N, N], no self-loops), from the detached cosine similarities. */
function knnGraph(z: Tensor, k: number): Tensor {
  const n = z.shape[0];
  const s = cosineSimilarityMatrix(z, z).detach().maskedFill(z.newOnes([n]).diagEmbed().gt(0), -Infinity);
  return s.topk(k, 1).indices.oneHot(n).sum(1).gt(0);
}

/** log-domain Sinkhorn: `sweeps` row then column normalisations of exp(x). */
function logSinkhorn(x: Tensor, sweeps: number): Tensor {
  let logP = x;
  for (let i = 0; i < sweeps; i++) {
    logP = logP.sub(logP.logsumexp(1, true));
    logP = logP.sub(logP.logsumexp(0, true));
  }
  return logP;
}

/**
 * LVM-Med's second-order graph-matching objective, with the QAP relaxed by graduated assignment and Sinkhorn.
 *
 * Each view's batch is a graph: nodes zᵢ, edges a kNN graph (k by cosine similarity) with edge features
 * e_ab = z_a − z_b. Node affinity U_ij = cos(z¹ᵢ, z²_j); edge affinity W_{(a,a′),(b,b′)} = A¹_aa′·A²_bb′·cos(e¹_aa′, e²_bb′).
 * The quadratic assignment max_X Σ U_ij X_ij + (λ/k)·Σ W_{(i,a′),(j,b′)} X_ij X_a′b′ over permutations is relaxed by
 * graduated assignment: P⁰ = Sinkhorn(U/τ), then `rounds` times P ← Sinkhorn((U + (λ/k)·W⊗P)/τ) with
 * (W⊗P)_ij = Σ_{a′,b′} W_{(i,a′),(j,b′)} P_a′b′ (the second-order score linearised at the current soft matching).
 * The true correspondence is the identity (row i of both views is one image), and the loss is its cross-entropy
 * ℓᵢ = −log Pᵢᵢ. Stable form: Sinkhorn in the log domain (the last sweep normalises columns).
 *
 * @param input the first view's embeddings z¹ [N, D]
 * @param other the second view's embeddings z² [N, D] (row i: the same image as z¹ᵢ)
 * @returns [N] for 'none', else a scalar
 * @see Nguyen et al., "LVM-Med: Learning Large-Scale Self-Supervised Vision Models for Medical Imaging via Second-order Graph Matching", NeurIPS 2023
 */
export function lvmMedGraphMatching(...args: Call<[input: Tensor, other: Tensor], LvmMedGraphMatchingOptions>): Tensor {
  const [z1, z2, o] = entry.check(args);
  const n = z1.shape[0];
  const k = Math.min(o.k, n - 1);
  const unary = cosineSimilarityMatrix(z1, z2);
  let logP = logSinkhorn(unary.div(o.tau), o.sinkhornIters);
  if (k > 0 && o.lambda > 0 && o.rounds > 0) {
    const edges = (z: Tensor) => l2Normalize(z.unsqueeze(1).sub(z.unsqueeze(0))); // ê_ab [N, N, D]
    const a1 = knnGraph(z1, k).cast(z1.dtype);
    const a2 = knnGraph(z2, k).cast(z1.dtype);
    const e1 = edges(z1).mul(a1.unsqueeze(-1)).reshape([n * n, -1]);
    const e2 = edges(z2).mul(a2.unsqueeze(-1)).reshape([n * n, -1]);
    // W[(i, a′), (j, b′)] reordered to [(i, j), (a′, b′)], so W⊗P is one matrix-vector product.
    const w = e1.matmul(e2.T).reshape([n, n, n, n]).permute([0, 2, 1, 3]).reshape([n * n, n * n]);
    for (let r = 0; r < o.rounds; r++) {
      const quad = w.matmul(logP.exp().reshape([n * n, 1])).reshape([n, n]);
      logP = logSinkhorn(unary.add(quad.mul(o.lambda / k)).div(o.tau), o.sinkhornIters);
    }
  }
  return applyReduction(logP.diagonal().neg(), { reduction: o.reduction });
}

export const entry = defineLoss({
  id: 'lvm-med-graph-matching',
  fn: lvmMedGraphMatching,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'other', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading:
    "LVM-Med's pretraining code is not released (duyhominhnguyen/LVM-Med holds the downstream tasks; its solver is BB-GM's external LPMP QAP " +
    'solver with blackbox differentiation), so the second-order matching is relaxed: kNN graphs per view, node and edge (difference-vector) ' +
    'cosine affinities, graduated assignment with log-domain Sinkhorn, differentiated end to end, and the cross-entropy of the identity matching.',
});
