/**
 * Distances and similarities between vectors, PyTorch 1.13's definitions, composed from Tensor
 * ops (so each is differentiable, twice where the mathematics allows, on every backend).
 */
import { ArgumentError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import { isFloat } from '../dtype.js';
import { broadcastShapes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';

/**
 * The p-norm of each row of `diff` over its last dim, with gradient 0 (PyTorch's cdist
 * subgradient) wherever a component or the whole row is 0.
 */
function rowNorm(diff: Tensor, p: number): Tensor {
  if (p === 0) return diff.sign().abs().sum(-1); // count of non-zero components; sign() carries a zero gradient
  if (p === 1) return diff.abs().sum(-1);
  // p ≥ 1 and ∞: norm's own backward gives 0 at a zero row (and splits ∞-norm ties, which PyTorch's cdist does not: keep inputs tie-free).
  if (p >= 1) return diff.norm(p, -1);
  // 0 < p < 1: |d|^p has an infinite slope at d = 0; PyTorch's backward gives 0 there, so zero components take the `where` branch with no gradient.
  const a = diff.abs();
  const nz = a.gt(0);
  return nz.where(nz.where(a, 1).pow(p), 0).sum(-1).pow(1 / p);
}

/**
 * PyTorch's torch.cdist: ‖x1[..., i, :] − x2[..., j, :]‖_p for x1 [..., P, M], x2 [..., R, M]
 * (batch dims broadcast) → [..., P, R]; p ≥ 0 (0 counts non-zero components, ∞ is the max).
 * Always the direct difference form, which is exact: PyTorch 1.13 switches p = 2 to the matmul
 * expansion ‖a‖² + ‖b‖² − 2a·b when P or R exceeds 25, which can lose digits to cancellation.
 */
export function cdist(x1: Tensor, x2: Tensor, { p = 2 }: { p?: number } = {}): Tensor {
  if (!isFloat(x1.dtype) || !isFloat(x2.dtype)) throw new DtypeError('cdist', `expected floating-point tensors, got ${x1.dtype} and ${x2.dtype}`);
  if (x1.ndim < 2 || x2.ndim < 2) {
    throw new ShapeError('cdist', `got shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}, expected x1 [..., P, M] and x2 [..., R, M] (at least 2-d)`);
  }
  const m1 = x1.shape[x1.ndim - 1];
  const m2 = x2.shape[x2.ndim - 1];
  if (m1 !== m2) throw new ShapeError('cdist', `x1 has ${m1} features and x2 has ${m2} (shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}), expected one feature size`);
  if (!(p >= 0)) throw new ArgumentError('cdist', `got p = ${p}, expected p ≥ 0`);
  broadcastShapes('cdist', x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  // [..., P, 1, M] − [..., 1, R, M] → [..., P, R, M], then the p-norm over M.
  return rowNorm(x1.unsqueeze(-2).sub(x2.unsqueeze(-3)), p);
}

export interface CosineSimilarityOptions { dim?: number; eps?: number }

/**
 * PyTorch 1.13's F.cosine_similarity: Σ_dim (x1 / n1) · (x2 / n2) with n = sqrt(max(Σ_dim x², eps²))
 * = max(‖x‖, eps), x1 and x2 broadcast first. Each norm is clamped on its own, and, as 1.13 clamps
 * Σx² in place under no_grad, the clamp changes the value only: the gradient flows through
 * sqrt(Σx²) taken at the clamped value (∂n/∂x = x / n), so a zero vector gets the finite
 * gradient (x2/n2)/eps. For 0 < ‖x‖ < eps that gradient is PyTorch's, not the derivative of the value.
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, { dim = 1, eps = 1e-8 }: CosineSimilarityOptions = {}): Tensor {
  if (!(eps >= 0)) throw new ArgumentError('cosineSimilarity', `got eps = ${eps}, expected eps ≥ 0`);
  const shape = broadcastShapes('cosineSimilarity', x1.shape, x2.shape);
  const axis = normalizeAxis('cosineSimilarity', dim, Math.max(shape.length, 1));
  const [a, b] = [x1, x2].map((x) => d.toFloat(x).expand(shape));
  const unit = (x: Tensor) => {
    const s = x.square().sum(axis, true);
    return x.div(s.add(s.clamp(eps * eps).sub(s).detach()).sqrt()); // value max(Σx², eps²), gradient as if unclamped (1.13's no-grad in-place clamp_min_)
  };
  return unit(a).mul(unit(b)).sum(axis);
}

export interface PairwiseDistanceOptions { p?: number; eps?: number; keepdim?: boolean }

/** PyTorch's F.pairwise_distance: ‖x1 − x2 + eps‖_p over the last dim of the broadcast shape. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, { p = 2, eps = 1e-6, keepdim = false }: PairwiseDistanceOptions = {}): Tensor {
  if (Number.isNaN(p)) throw new ArgumentError('pairwiseDistance', `got p = ${p}, expected a number`);
  broadcastShapes('pairwiseDistance', x1.shape, x2.shape);
  const diff = d.toFloat(x1).sub(d.toFloat(x2)).add(eps);
  return diff.norm(p, -1, keepdim);
}
