/**
 * Cross-entropies shared by the self-training / imbalance entries (DASO, WAD, DRO self-training, RCAL,
 * SelMix, SRAT, DECO): at hard class indices and at soft targets, both through the max-shifted log-softmax,
 * so they stay finite at logits of ±1e4; and the hard pseudo-label of a held-constant score table.
 */
import type { Tensor } from '@graft/core';
import { targetLogProbs } from './target-log-probs.js';

/** −log softmax(z)_y per row: logits [N, C] with class indices [N] (int32) → [N]. */
export function hardCe(logits: Tensor, target: Tensor): Tensor {
  return targetLogProbs(logits, target).logp.neg();
}

/** −Σ_k q_k·log softmax(z)_k per row: soft targets q [N, C] with logits [N, C] → [N]. */
export function softCe(q: Tensor, logits: Tensor): Tensor {
  return q.mul(logits.logSoftmax(-1)).sum(-1).neg();
}

/** argmax over the last dim of a score table held constant (detached): int32 class indices [N]. */
export function pseudoLabels(scores: Tensor): Tensor {
  return scores.detach().argmax(-1);
}
