/**
 * Scans along one dim: cumprod, logcumsumexp, cummax/cummin, and diff. All are compositions of
 * Tensor ops (no Function, no primitive): log-depth (Hillis–Steele) scans of narrow, concat and
 * elementwise ops, so they run on every backend and are differentiable to any order.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloat } from '../dtype.js';
import { ArgumentError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import { fmtValue, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import { int32Like } from './layout.js';
import { logaddexp } from './math.js';
import { concat } from './movement.js';
import { prefixProducts, type ValuesIndices } from './reduce.js';

/**
 * Inclusive scan of a tuple of same-shaped tensors along `axis` by log-depth doubling: at step s,
 * position i ≥ s combines the scan ending at i − s (`earlier`) with the one ending at i (`later`).
 * No identity element is needed, so −∞ or NaN inputs never meet a padding value.
 */
function scan<T extends Tensor[]>(xs: T, axis: number, combine: (earlier: T, later: T) => T): T {
  const n = xs[0].shape[axis];
  let ys = xs;
  for (let s = 1; s < n; s *= 2) {
    const merged = combine(ys.map((y) => y.narrow(axis, 0, n - s)) as T, ys.map((y) => y.narrow(axis, s, n - s)) as T);
    ys = ys.map((y, k) => concat([y.narrow(axis, 0, s), merged[k]], axis)) as T;
  }
  return ys;
}

/** Runs a scan of a 0-d tensor as a scan of a 1-element line (PyTorch accepts dim 0 or −1 there). */
const asLine = (x: Tensor, f: (line: Tensor) => Tensor): Tensor => (x.ndim === 0 ? f(x.reshape([1])).reshape([]) : f(x));

/** Running products y_i = ∏_{j≤i} x_j along `dim`; exact with zeros (only multiplies), so its gradient is PyTorch's, to any order. */
export function cumprod(x: Tensor, dim: number): Tensor {
  const axis = normalizeAxis('cumprod', dim, x.ndim);
  const src = x.dtype === 'bool' ? d.cast(x, 'int32') : x; // products of booleans count, as PyTorch's (int64) result
  return asLine(src, (t) => prefixProducts(t.movedim(axis, -1)).movedim(-1, axis));
}

/**
 * y_i = log Σ_{j≤i} exp x_j along `dim`, float inputs only (as PyTorch): a log-depth scan of the
 * stable logaddexp (max + log1p(exp(−|a − b|)), −∞ ties masked), exact for logits of ±1e4. Where a
 * prefix is all −∞, PyTorch's gradient is NaN (exp(−∞ − (−∞))); graft's stays finite (tied −∞ share it evenly).
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  const axis = normalizeAxis('logcumsumexp', dim, x.ndim);
  if (!isFloat(x.dtype)) throw new DtypeError('logcumsumexp', `expected a float tensor, got ${x.dtype}`);
  return asLine(x, (t) => scan([t], axis, ([a], [b]) => [logaddexp(a, b)])[0]);
}

/**
 * Running max (min) along `dim` with int32 indices, PyTorch's rule: a later value equal to the
 * running extreme takes over (ties give the last index) and NaN propagates (the latest NaN's index).
 * The values are gathered at the indices, so the gradient goes to them (a scatter-add), as PyTorch.
 */
function cumExtreme(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  const axis = normalizeAxis(op, dim, x.ndim);
  if (x.ndim === 0) {
    const line = cumExtreme(op, x.reshape([1]), 0);
    return { values: line.values.reshape([]), indices: line.indices.reshape([]) };
  }
  const n = x.shape[axis];
  const indices = noGrad(() => {
    const positions = int32Like(x, Int32Array.from({ length: n }, (_, i) => i), x.shape.map((_, i) => (i === axis ? n : 1)));
    const [, idx] = scan([x.detach(), positions.expand(x.shape)], axis, ([v0, i0], [v1, i1]) => {
      const beats = op === 'cummax' ? v1.ge(v0) : v1.le(v0);
      const later = isFloat(x.dtype) ? v1.ne(v1).logicalOr(v0.eq(v0).logicalAnd(beats)) : beats;
      return [later.where(v1, v0), later.where(i1, i0)];
    });
    return idx.contiguous();
  });
  return { values: x.gather(axis, indices), indices };
}
export const cummax = (x: Tensor, dim: number): ValuesIndices => cumExtreme('cummax', x, dim);
export const cummin = (x: Tensor, dim: number): ValuesIndices => cumExtreme('cummin', x, dim);

/** Checks that a prepend/append tensor joins x along `axis` (same dims, same sizes elsewhere). */
function checkJoin(x: Tensor, t: Tensor | undefined, axis: number, what: string): void {
  if (t === undefined) return;
  d.expectTensor('diff', t, what);
  if (t.ndim !== x.ndim || t.shape.some((s, i) => i !== axis && s !== x.shape[i])) {
    throw new ShapeError('diff', `${what} of shape ${fmtShape(t.shape)} does not match input of shape ${fmtShape(x.shape)} except at dim ${axis} (expected the same number of dims and sizes)`);
  }
}

/**
 * The n-th forward difference out_i = x_{i+1} − x_i along `dim` (logical xor for bool), after
 * joining `prepend` and `append` to x along that dim; each order shortens the dim by one.
 */
export function diff(x: Tensor, n = 1, dim = -1, prepend?: Tensor, append?: Tensor): Tensor {
  if (x.ndim === 0) throw new ShapeError('diff', 'expected a tensor of at least 1 dim, got a 0-d tensor');
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError('diff', `order n must be a non-negative integer, got ${fmtValue(n)}`);
  const axis = normalizeAxis('diff', dim, x.ndim);
  checkJoin(x, prepend, axis, 'prepend');
  checkJoin(x, append, axis, 'append');
  let y = prepend || append ? concat([prepend, x, append].filter((t): t is Tensor => t !== undefined), axis) : x;
  for (let k = 0; k < n && y.shape[axis] > 0; k++) {
    const len = y.shape[axis] - 1;
    const [next, prev] = [y.narrow(axis, 1, len), y.narrow(axis, 0, len)];
    y = y.dtype === 'bool' ? next.ne(prev) : next.sub(prev);
  }
  return y;
}
