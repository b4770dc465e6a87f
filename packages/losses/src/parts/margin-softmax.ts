/**
 * The margin-softmax family (SphereFace, CosFace, ArcFace, combined margin, sub-centre ArcFace, ElasticFace,
 * Partial FC, UNPG, ...): cosine logits between L2-normalised embeddings and class weights, a margin on the
 * target class's cosine, a scale s, and cross-entropy through a max-shifted logsumexp.
 *
 * The combined margin (InsightFace) replaces the target cosine c = cos θ by cos(m1·θ + m2) − m3:
 * (1, m, 0) is ArcFace, (1, 0, m) CosFace, (m, 0, 0) a multiplicative (SphereFace-style) margin.
 *
 * Numerics:
 * - For m1 = 1, cos(θ + m2) = c·cos m2 − sin θ·sin m2 with sin θ = √(1 − c²): no acos (the ArcFace paper's code).
 * - Otherwise θ = acos(c). Both √(1 − c²) and acos have infinite slopes at c = ±1, so their gradient is taken
 *   as if c were clamped to [−1 + eps, 1 − eps] (the catalog's clamp), while the value is the exact one at the
 *   clamped-to-[−1, 1] c: the target logit equals s·cos(θ + m) at every θ ∈ [0, π], and the gradient is finite.
 * - A zero embedding normalises to the zero vector (F.normalize's max(‖x‖, eps)): every cosine is 0, finite.
 */
import { arange, defaultGenerator, type Generator, type Tensor, tensor } from '@graft/core';
import type { ArgSpec } from '../args.js';
import { l2Normalize } from './distances.js';

/**
 * What happens to the ArcFace target beyond θ + m > π, where cos(θ + m) stops decreasing in θ:
 * 'insightface' uses c − m·sin m there (c ≤ cos(π − m); the paper's code), 'easy' applies the margin only
 * where c > 0 (easy_margin), 'none' applies the formula everywhere (the original combined-margin code).
 */
export type MarginFallback = 'insightface' | 'easy' | 'none';

export interface CombinedMargin {
  /** Multiplicative angular margin (default 1). */
  m1?: number;
  /** Additive angular margin, a number or one per sample [N] (default 0). */
  m2?: number | Tensor;
  /** Additive cosine margin, a number or one per sample [N] (default 0). */
  m3?: number | Tensor;
  /** The clamp |c| ≤ 1 − eps that bounds the gradient of √(1 − c²) and acos (default 1e-7). */
  eps?: number;
  /** Handling past θ + m2 > π (default 'none'; only meaningful for m1 = 1). */
  fallback?: MarginFallback;
}

export interface MarginSoftmaxOptions extends CombinedMargin {
  /** The scale s of every logit. */
  s: number;
}

/** Value g(clamp(c, −1, 1)), gradient of g(clamp(c, −1 + eps, 1 − eps)): exact value, finite slope. */
function clampedSlope(c: Tensor, eps: number, g: (t: Tensor) => Tensor): Tensor {
  const safe = g(c.clamp(-1 + eps, 1 - eps));
  return safe.add(g(c.detach().clamp(-1, 1)).sub(safe.detach()));
}

/** sin θ = √(1 − c²) of a cosine c (value exact on [−1, 1], slope bounded by the eps clamp). */
export function sinOfCos(c: Tensor, eps = 1e-7): Tensor {
  return clampedSlope(c, eps, (t) => t.square().neg().add(1).clamp(0).sqrt());
}

/** θ = acos(c) (value exact on [−1, 1], slope bounded by the eps clamp). */
export function angleOfCos(c: Tensor, eps = 1e-7): Tensor {
  return clampedSlope(c, eps, (t) => t.acos());
}

const cosOf = (m: number | Tensor) => (typeof m === 'number' ? Math.cos(m) : m.cos());
const sinOf = (m: number | Tensor) => (typeof m === 'number' ? Math.sin(m) : m.sin());

/** The combined-margin target cos(m1·θ + m2) − m3 of target cosines c [N] (m2, m3 numbers or [N]). */
export function combinedMarginTarget(c: Tensor, { m1 = 1, m2 = 0, m3 = 0, eps = 1e-7, fallback = 'none' }: CombinedMargin = {}): Tensor {
  let phi: Tensor;
  if (m1 === 1) {
    phi = typeof m2 === 'number' && m2 === 0 ? c.clamp(-1, 1) : c.clamp(-1, 1).mul(cosOf(m2)).sub(sinOfCos(c, eps).mul(sinOf(m2)));
    if (fallback === 'insightface') {
      // Past θ = π − m2: c − m2·sin m2 (threshold cos(π − m2) = −cos m2), keeping the target decreasing in θ.
      const th = typeof m2 === 'number' ? -Math.cos(m2) : m2.cos().neg();
      phi = c.gt(th).where(phi, c.sub(typeof m2 === 'number' ? m2 * Math.sin(m2) : m2.mul(m2.sin())));
    } else if (fallback === 'easy') phi = c.gt(0).where(phi, c);
  } else {
    const theta = angleOfCos(c, eps).mul(m1);
    phi = typeof m2 === 'number' && m2 === 0 ? theta.cos() : theta.add(m2).cos();
  }
  return typeof m3 === 'number' && m3 === 0 ? phi : phi.sub(m3);
}

/** cos(x_i, W_j) of embeddings [N, D] and class weights [C, D], both F.normalize'd: [N, C]. */
export function cosineLogits(embeddings: Tensor, weight: Tensor): Tensor {
  return l2Normalize(embeddings).matmul(l2Normalize(weight).T);
}

/** The [N, C] bool mask of each row's target class. */
export function targetMask(labels: Tensor, classes: number): Tensor {
  return labels.unsqueeze(1).eq(arange(0, classes, 1, { dtype: 'int32', backend: labels.backendName }).unsqueeze(0));
}

/** Each row's target entry: [N, C] → [N]. */
export function targetOf(x: Tensor, labels: Tensor): Tensor {
  return x.gather(1, labels.unsqueeze(1)).squeeze(1);
}

/** The logits with each row's target replaced by `target` [N]: where(onehot, target, x). */
export function withTarget(x: Tensor, labels: Tensor, target: Tensor): Tensor {
  return targetMask(labels, x.shape[1]).where(target.unsqueeze(1), x);
}

/** Cross-entropy of logits [N, C] against class indices [N], per sample: logsumexp (max-shifted) − target logit. */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return logits.logsumexp(1).sub(targetOf(logits, labels));
}

/** The scaled margin logits s·[cos(x, W_j), target → cos(m1θ + m2) − m3] of cosines [N, C]. */
export function marginLogits(cos: Tensor, labels: Tensor, { s, ...margin }: MarginSoftmaxOptions): Tensor {
  return withTarget(cos, labels, combinedMarginTarget(targetOf(cos, labels), margin)).mul(s);
}

/**
 * The family's one factory: marginSoftmax({ m1, m2, m3, s }) is the per-sample loss (cos [N, C], labels [N]) → [N],
 * cross-entropy of the margin logits. ArcFace, CosFace, SphereFace-style and combined margins are instances.
 */
export function marginSoftmax(opts: MarginSoftmaxOptions): (cos: Tensor, labels: Tensor) => Tensor {
  return (cos, labels) => softmaxCrossEntropy(marginLogits(cos, labels, opts), labels);
}

/**
 * SphereFace's monotone target ψ(θ) = (−1)^k·cos(mθ) − 2k for θ ∈ [kπ/m, (k+1)π/m], integer m ≥ 1, computed from
 * c = cos θ without acos: cos(mθ) = T_m(c) (Chebyshev recurrence), k = #{j ∈ 1..m : c ≤ cos(jπ/m)} (no gradient).
 */
export function sphereFacePsi(c: Tensor, m: number): Tensor {
  const cc = c.clamp(-1, 1);
  let [prev, cur] = [cc.onesLike(), cc];
  for (let i = 1; i < m; i++) [prev, cur] = [cur, cc.mul(cur).mul(2).sub(prev)];
  const tm = m === 0 ? prev : cur;
  let k = cc.zerosLike();
  for (let j = 1; j <= m; j++) k = k.add(cc.detach().le(Math.cos((j * Math.PI) / m)).cast(cc.dtype));
  const sign = k.sub(k.div(2).floor().mul(2)).mul(-2).add(1); // (−1)^k = 1 − 2·(k mod 2)
  return tm.mul(sign).sub(k.mul(2));
}

/** The argument specs every margin softmax shares: embeddings [N, D], labels [N] in [0, C), class weights [C, D]. */
export const marginSoftmaxArgs = [
  { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
  { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
] as const satisfies readonly ArgSpec[];

/** Partial FC's class sample: the sampled class indices (ascending) and the labels remapped into them. */
export interface ClassSample {
  /** Sampled classes, ascending, int32 [|S|]. */
  index: Tensor;
  /** labels[i] remapped to its position in `index`, int32 [N]. */
  labels: Tensor;
}

/**
 * Partial FC's sampling (not differentiable; one host read of the labels): every class present in the batch,
 * plus uniformly drawn other classes, |S| = max(⌈rate·C⌉, |unique(labels)|); as the authors' code, each class gets a
 * uniform key (present ones 2) and the top |S| keys are kept, then sorted.
 */
export function sampleClasses(labels: Tensor, classes: number, rate: number, generator: Generator | undefined): ClassSample {
  const ys = Array.from(labels.data());
  const g = generator ?? defaultGenerator;
  const keys = Array.from({ length: classes }, () => g.uniform());
  ys.forEach((y) => { keys[y] = 2; });
  const positives = new Set(ys).size;
  const k = Math.min(classes, Math.max(Math.ceil(rate * classes), positives));
  const chosen = [...keys.keys()].sort((a, b) => keys[b] - keys[a]).slice(0, k).sort((a, b) => a - b);
  const at = new Map(chosen.map((c, i) => [c, i]));
  const mk = (v: number[]) => tensor(Int32Array.from(v), { dtype: 'int32', backend: labels.backendName });
  return { index: mk(chosen), labels: mk(ys.map((y) => at.get(y)!)) };
}
