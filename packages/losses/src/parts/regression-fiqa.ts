/**
 * The CR-FIQA construction shared by cr-fiqa and vit-fiqa: a margin-softmax (ArcFace/CosFace) head trains the
 * embedding, and a quality output q regresses, by smooth L1, the sample's relative classifiability
 * CR = CCS / (NNCCS + 1 + eps), CCS = cos(x, w_y), NNCCS = max_{j≠y} cos(x, w_j), held constant (detached).
 */
import type { Tensor } from '@graft/core';
import { huber } from './huber.js';
import { cosineLogits, marginSoftmax, targetMask, targetOf } from './margin-softmax.js';

export interface FiqaOptions { s: number; m2: number; m3: number; lambda: number; beta: number; eps: number }

/** CR [N] of cosines [N, C] (C ≥ 2), detached. */
export function relativeClassifiability(cos: Tensor, labels: Tensor, eps: number): Tensor {
  const c = cos.detach();
  const ccs = targetOf(c, labels);
  const nnccs = targetMask(labels, c.shape[1]).where(-Infinity, c).amax(1);
  return ccs.div(nnccs.add(1 + eps));
}

/** Per sample: margin-softmax CE + λ·SmoothL1_β(q, sg(CR)), SmoothL1_β = huber_β/β. */
export function fiqaLoss(embeddings: Tensor, labels: Tensor, weight: Tensor, quality: Tensor, o: FiqaOptions): Tensor {
  const cos = cosineLogits(embeddings, weight);
  const ce = marginSoftmax({ s: o.s, m2: o.m2, m3: o.m3, fallback: 'insightface' })(cos, labels);
  const d = quality.sub(relativeClassifiability(cos, labels, o.eps));
  return ce.add((o.beta === 0 ? d.abs() : huber(d, o.beta).div(o.beta)).mul(o.lambda));
}
