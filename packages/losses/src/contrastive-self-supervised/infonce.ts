import { cat, full, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { diagonalCrossEntropy, rowCrossEntropy } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.07, 'τ: the temperature dividing every similarity (MoCo v1 0.07, MoCo v2 0.2, text embeddings 0.02–0.05).', '(0, inf)'),
  normalize: opt.boolean(true, 'L2-normalise queries and keys first (cosine similarities); false: raw dot products (a critic score).'),
  reduction: opt.reduction(),
};
export type InfoNceOptions = OptionsOf<typeof options>;

/**
 * InfoNCE (CPC / MoCo): the cross-entropy of picking each query's positive key among the candidates.
 *
 * With negatives: ℓᵢ = logsumexp([q_i·k_i, q_i·n_i1, …, q_i·n_iK]/τ) − q_i·k_i/τ (CE with target 0); without
 * them (in-batch): ℓᵢ = logsumexp_j(q_i·k_j/τ) − q_i·k_i/τ, CE(QKᵀ/τ, arange(N)). q and k are L2-normalised
 * unless `normalize` is false. Stable form: max-shifted logSoftmax over each row. log(K + 1) − mean ℓ is the
 * InfoNCE lower bound on I(q; k). MoCo's momentum encoder and its FIFO queue of past keys live outside the loss:
 * detach the momentum keys, keep the queue in a `KeyQueue` (createKeyQueue / enqueueKeys / queuedKeys: an
 * explicit state object, queue_size 65536 in MoCo) and pass `queuedKeys(queue)` as the shared negatives [K, D].
 *
 * @param query q [N, D]
 * @param key positive keys k [N, D] (row i is the positive of query i)
 * @param negatives per-query negatives [N, K, D], or negatives shared by every query [K, D] (a queue); absent: in-batch
 * @returns a scalar, or [N] with reduction 'none'
 * @see van den Oord et al., "Representation Learning with Contrastive Predictive Coding", 2018, arXiv:1807.03748;
 *   He et al., "Momentum Contrast for Unsupervised Visual Representation Learning", CVPR 2020
 */
export function infoNceLoss(...args: Call<[query: Tensor, key: Tensor, negatives?: Tensor], InfoNceOptions>): Tensor {
  const [query, key, negatives, { tau, normalize, reduction }] = entry.check(args);
  const unit = (x: Tensor) => (normalize ? l2Normalize(x) : x);
  const q = unit(query);
  const k = unit(key);
  if (!negatives) return applyReduction(diagonalCrossEntropy(q.matmul(k.T).div(tau)), { reduction });
  const n = unit(negatives);
  const pos = q.mul(k).sum(-1, true);
  const neg = n.ndim === 2 ? q.matmul(n.T) : n.matmul(q.unsqueeze(-1)).squeeze(-1);
  const logits = cat([pos, neg], 1).div(tau);
  return applyReduction(rowCrossEntropy(logits, full([q.shape[0]], 0, { dtype: 'int32', backend: q.backendName })), { reduction });
}

/** A MoCo-style FIFO memory of past keys: explicit, serialisable state (the keys, the write pointer, how many are filled). */
export interface KeyQueue {
  readonly keys: Tensor;
  readonly ptr: number;
  readonly count: number;
}

/** An empty queue of `size` keys of dimension `dim` (dtype and backend of `like`). */
export function createKeyQueue(size: number, dim: number, like: Tensor): KeyQueue {
  return { keys: like.detach().newZeros([size, dim]), ptr: 0, count: 0 };
}

/** The queue with `keys` [B, D] written (detached) at its pointer, oldest first overwritten; the old state is unchanged. */
export function enqueueKeys(queue: KeyQueue, keys: Tensor): KeyQueue {
  const size = queue.keys.shape[0];
  const b = keys.shape[0];
  const slot = Array.from({ length: size }, (_, s) => s);
  for (let i = 0; i < b; i++) slot[(queue.ptr + i) % size] = size + i; // a batch longer than the queue keeps its last rows
  const index = tensor(slot, { dtype: 'int32', backend: queue.keys.backendName });
  return { keys: cat([queue.keys, keys.detach()], 0).indexSelect(0, index), ptr: (queue.ptr + b) % size, count: Math.min(size, queue.count + b) };
}

/** The filled keys [count, D] of a queue, the negatives of the next step. */
export function queuedKeys(queue: KeyQueue): Tensor {
  return queue.keys.narrow(0, 0, queue.count);
}

export const entry = defineLoss({
  id: 'infonce',
  fn: infoNceLoss,
  args: [
    { name: 'query', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'key', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'negatives', shape: ['N', 'K', 'D'], dtype: 'float', domain: 'real', optional: true, or: { shape: ['K', 'D'], dtype: 'float', domain: 'real' } },
  ],
  options,
  aliases: ['moco', 'cpc'],
  output: 'per-sample',
});
