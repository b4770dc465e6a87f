/** Reductions, scans and the softmax family. */
import { Function } from '../autograd/function.js';
import type { ReduceOp } from '../backend/backend.js';
import { isFloat } from '../dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { normalizeAxes, normalizeAxis, numel, type Shape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import * as p from './primitives.js';

type Axes = number | readonly number[] | undefined;
export interface ValuesIndices { values: Tensor; indices: Tensor }

/** Sums a broadcast gradient back to `shape` (the inverse of broadcasting). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes = g.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  return g.sum(axes, true).reshape(shape);
}

/** Re-inserts reduced dims as size 1, so a reduced tensor broadcasts against its input. */
function keepDims(t: Tensor, inputShape: Shape, axes: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? t : t.reshape(d.reducedShape(inputShape, axes, true));
}

// ---- sum, prod ------------------------------------------------------------------------
class Sum extends Function {
  constructor(private readonly axes: number[], private readonly keepdim: boolean) { super(); }
  private inputShape: number[] = [];
  forward(x: Tensor) { this.inputShape = x.shape; return d.reduce('sum', x, this.axes, this.keepdim); }
  backward(g: Tensor) { return [keepDims(g, this.inputShape, this.axes, this.keepdim).expand(this.inputShape)]; }
}

/**
 * Inclusive products along the last axis by log-depth doubling (Hillis–Steele): exact with zeros,
 * and differentiable to any order because it is only multiplies.
 */
export function prefixProducts(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  let y = x;
  for (let s = 1; s < n; s *= 2) y = y.mul(y.narrow(-1, 0, n - s).pad([s, 0], 1));
  return y;
}

/** ∏_{j≠i} x_j along the last axis: exclusive prefix times exclusive suffix products. */
function productOfOthers(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  if (n <= 1) return x.onesLike();
  const exclusive = (t: Tensor) => prefixProducts(t.narrow(-1, 0, n - 1).pad([1, 0], 1));
  return exclusive(x).mul(exclusive(x.flip(-1)).flip(-1));
}

class Prod extends Function {
  constructor(private readonly axes: number[], private readonly keepdim: boolean) { super(); }
  forward(x: Tensor) { this.save(x); return d.reduce('prod', x, this.axes, this.keepdim); }
  backward(g: Tensor) {
    const [x] = this.savedTensors;
    // ∂prod/∂x_i = ∏_{j≠i} x_j, formed without dividing by x_i, so zeros need no special case and
    // the second derivative keeps its cross terms. The reduced axes move last and flatten into one.
    const kept = x.shape.map((_, i) => i).filter((i) => !this.axes.includes(i));
    const order = [...kept, ...this.axes];
    const moved = x.permute(order).reshape([...kept.map((i) => x.shape[i]), -1]);
    const inverse = order.map((_, i) => order.indexOf(i));
    const others = productOfOthers(moved).reshape(order.map((i) => x.shape[i])).permute(inverse);
    return [keepDims(g, x.shape, this.axes, this.keepdim).mul(others)];
  }
}

// ---- extrema ----------------------------------------------------------------------------
/** amax/amin: ties share the gradient evenly, as PyTorch's amax. */
class Extreme extends Function {
  constructor(private readonly op: 'max' | 'min', private readonly axes: number[], private readonly keepdim: boolean) { super(); }
  forward(x: Tensor) { const y = d.reduce(this.op, x, this.axes, this.keepdim); this.save(x, y); return y; }
  backward(g: Tensor) {
    const [x, y] = this.savedTensors;
    const hit = x.eq(keepDims(y, x.shape, this.axes, this.keepdim));
    // Selected, not multiplied by a 0/1 mask: an infinite g must not become 0·∞ = NaN off the extremum.
    const share = keepDims(g, x.shape, this.axes, this.keepdim).div(hit.cast(g.dtype).sum(this.axes, true));
    return [hit.where(share, 0)];
  }
}

// ---- scan -----------------------------------------------------------------------------
class Cumsum extends Function {
  constructor(private readonly axis: number) { super(); }
  forward(x: Tensor) { return p.cumsum(x, this.axis); }
  backward(g: Tensor) { return [g.flip(this.axis).cumsum(this.axis).flip(this.axis)]; }
}

// ---- softmax family: a backend's fused kernel when it has one, else a max-shifted composition ----
let preferFused = true;
/** Test hook: whether softmax-family forwards use a backend's fused kernels (the conformance suite checks both paths). */
export function useFusedKernels(on: boolean): void { preferFused = on; }
/** Whether ops use a backend's fused kernels (cross-entropy reads it too). */
export const fusedKernelsPreferred = (): boolean => preferFused;

/** Max-shifted logsumexp over one axis, keeping it as size 1 (finite for logits of ±1e4). */
function composedLogsumexp(x: Tensor, axis: number): Tensor {
  // An empty slice sums to 0, whose log is −∞ (as PyTorch); max over it has no identity.
  if (x.shape[axis] === 0) return d.full(x, d.reducedShape(x.shape, [axis], true), -Infinity);
  const m = d.reduce('max', x, [axis], true);
  // A slice of all -inf (or +inf) would give inf − inf: shift by 0 there instead.
  const finite = d.binaryOf('eq', d.binary('sub', m, m), 0);
  const shift = d.where(finite, m, d.scalarLike(0, m));
  const s = d.reduce('sum', d.unary('exp', d.binary('sub', x, shift)), [axis], true);
  return d.binary('add', d.unary('log', s), shift);
}

class LogSumExp extends Function {
  constructor(private readonly axis: number, private readonly keepdim: boolean) { super(); }
  forward(x: Tensor) {
    const y = (preferFused && p.fused('logsumexp', x, this.axis, d.reducedShape(x.shape, [this.axis], this.keepdim)))
      || keepOrDrop(composedLogsumexp(x, this.axis), this.axis, this.keepdim);
    this.save(x, y);
    return y;
  }
  backward(g: Tensor) {
    const [x, y] = this.savedTensors;
    const yk = keepDims(y, x.shape, [this.axis], this.keepdim);
    return [keepDims(g, x.shape, [this.axis], this.keepdim).mul(x.sub(yk).exp())];
  }
}

const keepOrDrop = (t: Tensor, axis: number, keepdim: boolean): Tensor =>
  keepdim ? t : t.reshape(t.shape.filter((_, i) => i !== axis));

class Softmax extends Function {
  constructor(private readonly axis: number) { super(); }
  forward(x: Tensor) {
    const y = (preferFused && p.fused('softmax', x, this.axis, x.shape))
      || d.unary('exp', d.binary('sub', x, composedLogsumexp(x, this.axis)));
    this.save(y);
    return y;
  }
  backward(g: Tensor) {
    const [y] = this.savedTensors;
    // J^T g = y ⊙ (g − Σ g·y)
    return [y.mul(g.sub(g.mul(y).sum(this.axis, true)))];
  }
}

class LogSoftmax extends Function {
  constructor(private readonly axis: number) { super(); }
  forward(x: Tensor) {
    const y = (preferFused && p.fused('logSoftmax', x, this.axis, x.shape))
      || d.binary('sub', x, composedLogsumexp(x, this.axis));
    this.save(y);
    return y;
  }
  backward(g: Tensor) {
    const [y] = this.savedTensors;
    return [g.sub(y.exp().mul(g.sum(this.axis, true)))];
  }
}

// ---- p-norms -------------------------------------------------------------------------------
/** ‖x‖_p over axes. The gradient at x = 0 is 0 (the subgradient PyTorch picks), never NaN. */
class Norm extends Function {
  constructor(private readonly p: number, private readonly axes: number[], private readonly keepdim: boolean) { super(); }
  forward(x: Tensor) {
    const a = d.unary('abs', x);
    const { p, axes, keepdim } = this;
    let y: Tensor;
    if (p === Infinity) y = d.reduce('max', a, axes, keepdim);
    else if (p === -Infinity) y = d.reduce('min', a, axes, keepdim);
    else if (p === 0) y = d.reduce('sum', d.cast(d.binaryOf('ne', a, 0), x.dtype), axes, keepdim);
    else if (p === 1) y = d.reduce('sum', a, axes, keepdim);
    else {
      // Scale by the max so |x|^p neither overflows nor underflows (p = 2 on values of 1e200).
      // (forward runs with recording off, so Tensor methods here build no graph)
      // An empty slice has no max (its norm is 0, the empty sum): scale it by 1.
      const m = axes.some((i) => x.shape[i] === 0) ? d.full(a, d.reducedShape(a.shape, axes, true), 1) : a.amax(axes, true);
      const scale = m.gt(0).where(m, 1);
      const s = a.div(scale).pow(p).sum(axes, keepdim);
      const scaled = s.pow(1 / p).mul(keepdim ? scale : scale.reshape(s.shape));
      // An infinite entry makes the scale ∞ (and ∞/∞ = NaN above): the norm is ∞ there (NaN still wins).
      const infinite = keepdim ? scale.eq(Infinity) : scale.reshape(s.shape).eq(Infinity);
      y = infinite.where(Infinity, scaled);
    }
    this.save(x, y);
    return y;
  }
  backward(g: Tensor) {
    const [x, y] = this.savedTensors;
    const { p, axes, keepdim } = this;
    const gk = keepDims(g, x.shape, axes, keepdim);
    const yk = keepDims(y, x.shape, axes, keepdim);
    if (p === 0) return [x.zerosLike()];
    if (p === 1) return [gk.mul(x.sign())];
    if (!Number.isFinite(p)) {
      const hit = x.abs().eq(yk);
      return [hit.where(gk.mul(x.sign()).div(hit.cast(g.dtype).sum(axes, true)), 0)];
    }
    // ∂‖x‖/∂x = sign(x)·|x|^(p−1) / ‖x‖^(p−1), with 0 where ‖x‖ = 0 (and, for p < 1, where x = 0),
    // as PyTorch's norm_backward; sign·|x|^(p−1) has no 0·∞ at x = 0 for p ≥ 1, unlike x·|x|^(p−2).
    const safe = yk.eq(0).where(1, yk);
    const local = p === 2 ? x : p < 1 ? x.eq(0).where(0, x.sign().mul(x.eq(0).where(1, x).abs().pow(p - 1))) : x.sign().mul(x.abs().pow(p - 1));
    return [yk.eq(0).where(0, gk.mul(local).div(safe.pow(p - 1)))];
  }
}

// ---- public functions -------------------------------------------------------------------------
const axesOf = (op: string, x: Tensor, dim: Axes) => normalizeAxes(op, dim, x.ndim);

export function sum(x: Tensor, dim?: Axes, keepdim = false): Tensor {
  const axes = axesOf('sum', x, dim);
  if (!isFloat(x.dtype)) return d.reduce('sum', x, axes, keepdim); // int sums: no gradient to track
  return new Sum(axes, keepdim).apply(x);
}

export function mean(x: Tensor, dim?: Axes, keepdim = false): Tensor {
  const axes = axesOf('mean', x, dim);
  const n = numel(axes.map((a) => x.shape[a]));
  return sum(d.toFloat(x), axes, keepdim).div(n);
}

export function prod(x: Tensor, dim?: Axes, keepdim = false): Tensor {
  const axes = axesOf('prod', x, dim);
  return isFloat(x.dtype) ? new Prod(axes, keepdim).apply(x) : d.reduce('prod', x, axes, keepdim);
}

export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 = unbiased (PyTorch's default), 0 = population. */
  correction?: number;
  keepdim?: boolean;
}
export function variance(x: Tensor, dim?: Axes, { correction = 1, keepdim = false }: VarOptions = {}): Tensor {
  const axes = axesOf('var', x, dim);
  const n = numel(axes.map((a) => x.shape[a]));
  const xf = d.toFloat(x);
  const centered = xf.sub(xf.mean(axes, true));
  return centered.square().sum(axes, keepdim).div(Math.max(n - correction, 0));
}
/**
 * √v whose derivative is 0 where v = 0 (PyTorch's std_backward masks it), instead of g/(2·0); the
 * masked branch divides by 1, so no 0/0 reaches a second-order pass either.
 */
class SqrtOfVariance extends Function {
  forward(v: Tensor) { const y = d.unary('sqrt', v); this.save(y); return y; }
  backward(g: Tensor) {
    const [y] = this.savedTensors;
    const zero = y.eq(0);
    return [zero.where(0, g.div(zero.where(1, y).mul(2)))];
  }
}
export const std = (x: Tensor, dim?: Axes, opts?: VarOptions): Tensor => new SqrtOfVariance().apply(variance(x, dim, opts));

function extreme(op: 'max' | 'min', x: Tensor, dim: Axes, keepdim: boolean): Tensor {
  const axes = axesOf(op === 'max' ? 'amax' : 'amin', x, dim);
  if (!isFloat(x.dtype)) return d.reduce(op, x, axes, keepdim);
  return new Extreme(op, axes, keepdim).apply(x);
}
export const amax = (x: Tensor, dim?: Axes, keepdim = false): Tensor => extreme('max', x, dim, keepdim);
export const amin = (x: Tensor, dim?: Axes, keepdim = false): Tensor => extreme('min', x, dim, keepdim);

/** Whether every (any) element along `dim` is non-zero: a bool tensor (a min/max over 0/1 values). */
function truth(op: 'all' | 'any', x: Tensor, dim: Axes, keepdim: boolean): Tensor {
  const axes = axesOf(op, x, dim);
  const bits = d.cast(d.cast(x, 'bool'), 'int32');
  const empty = axes.some((a) => x.shape[a] === 0);
  // An empty reduction has no min/max: all() of nothing is true, any() of nothing is false (PyTorch's).
  const r = empty ? d.full(x, d.reducedShape(x.shape, axes, keepdim), op === 'all' ? 1 : 0, 'int32') : d.reduce(op === 'all' ? 'min' : 'max', bits, axes, keepdim);
  return d.cast(r, 'bool');
}
export const all = (x: Tensor, dim?: Axes, keepdim = false): Tensor => truth('all', x, dim, keepdim);
export const any = (x: Tensor, dim?: Axes, keepdim = false): Tensor => truth('any', x, dim, keepdim);

export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  if (dim === undefined) return d.argReduce('argmax', x.reshape(-1), 0, false);
  return d.argReduce('argmax', x, normalizeAxis('argmax', dim, x.ndim), keepdim);
}
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  if (dim === undefined) return d.argReduce('argmin', x.reshape(-1), 0, false);
  return d.argReduce('argmin', x, normalizeAxis('argmin', dim, x.ndim), keepdim);
}

/** max along `dim` with the index of the first maximum; the value's gradient goes to that index. */
export function max(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  const axis = normalizeAxis('max', dim, x.ndim);
  const indices = argmax(x, axis, true);
  const values = x.gather(axis, indices);
  return keepdim ? { values, indices } : { values: values.squeeze(axis), indices: indices.squeeze(axis) };
}
export function min(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  const axis = normalizeAxis('min', dim, x.ndim);
  const indices = argmin(x, axis, true);
  const values = x.gather(axis, indices);
  return keepdim ? { values, indices } : { values: values.squeeze(axis), indices: indices.squeeze(axis) };
}

export function logsumexp(x: Tensor, dim: Axes, keepdim = false): Tensor {
  const axes = axesOf('logsumexp', d.toFloat(x), dim);
  const xf = d.toFloat(x);
  if (axes.length === 1) return new LogSumExp(axes[0], keepdim).apply(xf);
  // Several axes: move them to the end, flatten them into one, reduce that.
  const kept = xf.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = xf.permute([...kept, ...axes]).reshape([...kept.map((i) => xf.shape[i]), -1]);
  const y = new LogSumExp(kept.length, false).apply(moved);
  return keepdim ? y.reshape(d.reducedShape(xf.shape, axes, true)) : y;
}

export function softmax(x: Tensor, dim: number): Tensor {
  const xf = d.toFloat(x);
  const axis = normalizeAxis('softmax', dim, xf.ndim);
  if (xf.ndim === 0) return softmax(xf.reshape([1]), 0).reshape([]); // a 0-d tensor is a 1-element line
  return new Softmax(axis).apply(xf);
}
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const xf = d.toFloat(x);
  const axis = normalizeAxis('logSoftmax', dim, xf.ndim);
  if (xf.ndim === 0) return logSoftmax(xf.reshape([1]), 0).reshape([]);
  return new LogSoftmax(axis).apply(xf);
}

export function cumsum(x: Tensor, dim: number): Tensor {
  const axis = normalizeAxis('cumsum', dim, x.ndim);
  if (x.dtype === 'bool') return cumsum(d.cast(x, 'int32'), axis); // counts, as PyTorch (not a running `or`)
  if (x.ndim === 0) return x;
  return isFloat(x.dtype) ? new Cumsum(axis).apply(x) : p.cumsum(x, axis);
}

/** The p-norm over `dim` (all elements by default); 'fro' is p = 2. */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Axes, keepdim = false): Tensor {
  if (p !== 'fro' && typeof p !== 'number') throw new ArgumentError('norm', `expected p to be a number or 'fro', got ${typeof p === 'string' ? `'${p}'` : String(p)} (matrix norms such as 'nuc' are linalg.matrixNorm)`);
  const pv = p === 'fro' ? 2 : p;
  if (Number.isNaN(pv)) throw new ArgumentError('norm', `expected a numeric p, got ${p}`);
  const xf = d.toFloat(x);
  const axes = axesOf('norm', xf, dim);
  if (axes.some((a) => xf.shape[a] === 0) && !Number.isFinite(pv)) {
    throw new ShapeError('norm', `the ${pv}-norm of a zero-size dim of shape ${fmtShape(x.shape)} is undefined`);
  }
  return new Norm(pv, axes, keepdim).apply(xf);
}

export type { ReduceOp };
