/** Views (metadata only: no copy) and data movement: reshape, permute, expand, slice, pad, concat, ... */
import { Function } from '../autograd/function.js';
import { type DType, isFloat, promoteTypes } from '../dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { checkSizes, contiguousStrides, normalizeAxes, normalizeAxis, numel, type Shape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import * as p from './primitives.js';
import { sumTo } from './reduce.js';

const viewAs = (x: Tensor, shape: number[], strides: number[], offset = x.offset): Tensor =>
  new Tensor(x.storage, shape, strides, offset, x.dtype);

/**
 * Strides that let `newShape` view the same elements as (shape, strides) without a copy, or
 * null when none exist (PyTorch's computeStride): dims are split or merged only within runs
 * that are contiguous with each other.
 */
export function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  if (shape.length === 0 || numel(shape) === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let td = shape.length - 1; td >= 0; td--) {
    tensorNumel *= shape[td];
    if (td === 0 || (shape[td - 1] !== 1 && strides[td - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (td > 0) { chunkBase = strides[td - 1]; tensorNumel = 1; viewNumel = 1; }
    }
  }
  return viewD === -1 ? out : null;
}

/** Resolves one -1 and checks the element count. */
function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  const free = shape.filter((s) => s === -1).length;
  if (free > 1 || shape.some((s) => !Number.isInteger(s) || s < -1)) {
    throw new ShapeError(op, `invalid target shape ${fmtShape(shape)} (sizes must be non-negative integers, at most one -1)`);
  }
  const known = numel(shape.filter((s) => s !== -1));
  const out = shape.map((s) => (s === -1 ? (known === 0 ? 0 : x.size / known) : s));
  if (numel(out) !== x.size || !out.every(Number.isInteger)) {
    throw new ShapeError(op, `cannot reshape a tensor of shape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
  }
  return out;
}

class Reshape extends Function {
  constructor(private readonly shape: number[]) { super(); }
  private inputShape: number[] = [];
  forward(x: Tensor) {
    this.inputShape = x.shape;
    const strides = viewStrides(x.shape, x.strides, this.shape);
    if (strides) return viewAs(x, this.shape, strides);
    return d.contiguous(x).reshape(this.shape);
  }
  backward(g: Tensor) { return [g.reshape(this.inputShape)]; }
}

class Permute extends Function {
  constructor(private readonly dims: number[]) { super(); }
  forward(x: Tensor) {
    return viewAs(x, this.dims.map((i) => x.shape[i]), this.dims.map((i) => x.strides[i]));
  }
  backward(g: Tensor) {
    const inverse = new Array<number>(this.dims.length);
    this.dims.forEach((p, i) => { inverse[p] = i; });
    return [g.permute(inverse)];
  }
}

class Expand extends Function {
  constructor(private readonly shape: number[]) { super(); }
  private inputShape: number[] = [];
  forward(x: Tensor) { this.inputShape = x.shape; return d.broadcastView(x, this.shape); }
  backward(g: Tensor) { return [sumTo(g, this.inputShape)]; }
}

/** A contiguous range along one dim (step 1): a view; its backward pads the gradient with zeros. */
class Narrow extends Function {
  constructor(private readonly axis: number, private readonly start: number, private readonly length: number) { super(); }
  private size = 0;
  forward(x: Tensor) {
    this.size = x.shape[this.axis];
    const shape = [...x.shape];
    shape[this.axis] = this.length;
    const offset = this.length === 0 ? x.offset : x.offset + this.start * x.strides[this.axis];
    return viewAs(x, shape, [...x.strides], offset);
  }
  backward(g: Tensor) { return [padAxis(g, this.axis, this.start, this.size - this.start - this.length, 0)]; }
}

/** Constant padding of one dim; its backward narrows the gradient back. */
class PadAxis extends Function {
  constructor(private readonly axis: number, private readonly before: number, private readonly after: number, private readonly value: number) { super(); }
  private size = 0;
  forward(x: Tensor) {
    this.size = x.shape[this.axis];
    const side = (n: number) => { const s = [...x.shape]; s[this.axis] = n; return d.full(x, s, this.value); };
    return concatRaw([side(this.before), x, side(this.after)], this.axis);
  }
  backward(g: Tensor) { return [g.narrow(this.axis, this.before, this.size)]; }
}

class Concat extends Function {
  constructor(private readonly axis: number) { super(); }
  private sizes: number[] = [];
  forward(...xs: Tensor[]) { this.sizes = xs.map((x) => x.shape[this.axis]); return concatRaw(xs, this.axis); }
  backward(g: Tensor) {
    let start = 0;
    return this.sizes.map((n, i) => {
      const gi = this.needsInputGrad[i] ? g.narrow(this.axis, start, n) : null;
      start += n;
      return gi;
    });
  }
}

class Flip extends Function {
  constructor(private readonly axes: number[]) { super(); }
  forward(x: Tensor) {
    let y = x;
    for (const a of this.axes) {
      const n = x.shape[a];
      const rev = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
      y = p.indexSelect(y, a, p.fromHost(x, rev, [n], 'int32'));
    }
    return y;
  }
  backward(g: Tensor) { return [g.flip(this.axes)]; }
}

/** Copy to another backend; the gradient travels back. */
class ToBackend extends Function {
  constructor(private readonly targetName: string) { super(); }
  private sourceName = '';
  forward(x: Tensor) {
    this.sourceName = x.backendName;
    return p.copyTo(x, this.targetName);
  }
  backward(g: Tensor) { return [g.to(this.sourceName)]; }
}

class Cast extends Function {
  constructor(private readonly dtype: DType) { super(); }
  private from: DType = 'float32';
  forward(x: Tensor) { this.from = x.dtype; return d.cast(x, this.dtype); }
  backward(g: Tensor) { return [g.cast(this.from)]; }
}

class Contiguous extends Function {
  forward(x: Tensor) { return p.contiguous(x); }
  backward(g: Tensor) { return [g]; }
}

function concatRaw(xs: readonly Tensor[], axis: number): Tensor {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
  return p.concat(xs, axis, shape);
}

// ---- public functions -------------------------------------------------------------------------

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape('reshape', x, shape);
  if (shapesEqual(target, x.shape)) return x;
  return new Reshape(target).apply(x);
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape('view', x, shape);
  if (!viewStrides(x.shape, x.strides, target)) {
    throw new ShapeError('view', `a tensor of shape ${fmtShape(x.shape)} and strides ${fmtShape(x.strides)} cannot be viewed as ${fmtShape(target)} without a copy; use reshape()`);
  }
  return reshape(x, target);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const norm = dims.map((a) => normalizeAxis('permute', a, x.ndim));
  if (norm.length !== x.ndim || new Set(norm).size !== norm.length) {
    throw new ShapeError('permute', `expected a permutation of ${x.ndim} dims for shape ${fmtShape(x.shape)}, got [${dims.join(', ')}]`);
  }
  if (norm.every((p, i) => p === i)) return x;
  return new Permute(norm).apply(x);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return x; // .T of a vector or scalar is itself
  const a = normalizeAxis('transpose', dim0, x.ndim);
  const b = normalizeAxis('transpose', dim1, x.ndim);
  if (a === b) return x; // also the only case for a 0-d tensor, which has no dims to swap
  const dims = [...x.shape.keys()];
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

export function movedim(x: Tensor, source: number, destination: number): Tensor {
  const from = normalizeAxis('movedim', source, x.ndim);
  const to = normalizeAxis('movedim', destination, x.ndim);
  const dims = [...x.shape.keys()].filter((i) => i !== from);
  dims.splice(to, 0, from);
  return permute(x, dims);
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - x.ndim;
  if (lead < 0) throw new ShapeError('expand', `cannot expand ${fmtShape(x.shape)} to fewer dims ${fmtShape(shape)}`);
  const target = shape.map((s, i) => (s === -1 && i >= lead ? x.shape[i - lead] : s));
  checkSizes('expand', target);
  target.forEach((s, i) => {
    const src = i < lead ? 1 : x.shape[i - lead];
    if (s < 0 || (src !== 1 && src !== s)) {
      throw new ShapeError('expand', `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: size ${src} at dim ${i - lead} must be 1 or ${s}`);
    }
  });
  if (shapesEqual(target, x.shape)) return x;
  return new Expand(target).apply(x);
}

/** Ops that take a range of one dim need that dim to exist: a 0-d tensor has none. */
function needDims(op: string, x: Tensor): void {
  if (x.ndim === 0) throw new ShapeError(op, 'cannot be applied to a 0-d tensor (expected at least 1 dim)');
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  needDims('narrow', x);
  const axis = normalizeAxis('narrow', dim, x.ndim);
  const n = x.shape[axis];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new ShapeError('narrow', `start ${start} and length ${length} are out of range for dim ${dim} of size ${n} (shape ${fmtShape(x.shape)})`);
  }
  if (s === 0 && length === n) return x;
  return new Narrow(axis, s, length).apply(x);
}

/** x[start:end:step] along `dim`, Python's clamping of out-of-range bounds included. */
export function slice(x: Tensor, dim: number, start = 0, end = Infinity, step = 1): Tensor {
  needDims('slice', x);
  const axis = normalizeAxis('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step < 1) throw new ArgumentError('slice', `step must be a positive integer, got ${step}`);
  const n = x.shape[axis];
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = clampIdx(start);
  const e = Math.max(clampIdx(end), s);
  if (step === 1) return narrow(x, axis, s, e - s);
  const picks = Int32Array.from({ length: Math.ceil((e - s) / step) }, (_, k) => s + k * step);
  return x.indexSelect(axis, p.fromHost(x, picks, [picks.length], 'int32'));
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const axes = dim === undefined ? x.shape.map((_, i) => i) : normalizeAxes('squeeze', dim, x.ndim);
  return reshape(x, x.shape.filter((s, i) => !(s === 1 && axes.includes(i))));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const axis = normalizeAxis('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return reshape(x, shape);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const a = normalizeAxis('flatten', startDim, x.ndim);
  const b = normalizeAxis('flatten', endDim, x.ndim);
  if (a > b) throw new ShapeError('flatten', `startDim ${startDim} comes after endDim ${endDim}`);
  return reshape(x, [...x.shape.slice(0, a), numel(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)]);
}

function padAxis(x: Tensor, axis: number, before: number, after: number, value: number): Tensor {
  let y = x;
  // Negative padding crops, as in PyTorch's F.pad.
  if (before < 0 || after < 0) {
    const lo = Math.max(-before, 0);
    const hi = Math.max(-after, 0);
    y = narrow(y, axis, lo, y.shape[axis] - lo - hi);
  }
  if (before <= 0 && after <= 0) return y;
  return new PadAxis(axis, Math.max(before, 0), Math.max(after, 0), value).apply(y);
}

/** Constant padding, PyTorch's F.pad order: [lastBefore, lastAfter, secondLastBefore, ...]. */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim || !padding.every(Number.isInteger)) {
    throw new ShapeError('pad', `expected an even number of integer pads, at most 2 per dim of shape ${fmtShape(x.shape)}, got [${padding.join(', ')}]`);
  }
  let y = x;
  for (let i = 0; i < padding.length / 2; i++) {
    y = padAxis(y, x.ndim - 1 - i, padding[2 * i], padding[2 * i + 1], value);
  }
  return y;
}

export function concat(xs: readonly Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('concat', 'expected a non-empty list of tensors');
  xs.forEach((x, i) => d.expectTensor('concat', x, `tensor ${i}`));
  const ref = xs[0];
  if (ref.ndim === 0) throw new ShapeError('concat', 'zero-dimensional tensors cannot be concatenated (expected at least 1 dim; use stack)');
  const axis = normalizeAxis('concat', dim, ref.ndim);
  xs.forEach((x, i) => {
    if (x.ndim !== ref.ndim || x.shape.some((s, j) => j !== axis && s !== ref.shape[j])) {
      throw new ShapeError('concat', `tensor ${i} has shape ${fmtShape(x.shape)}, expected ${fmtShape(ref.shape)} except at dim ${axis}`);
    }
  });
  const dtype = xs.map((x) => x.dtype).reduce(promoteTypes);
  const cast = xs.map((x) => (x.dtype === dtype ? x : x.cast(dtype)));
  return new Concat(axis).apply(...cast);
}
export const cat = concat;

export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('stack', 'expected a non-empty list of tensors');
  xs.forEach((x, i) => d.expectTensor('stack', x, `tensor ${i}`));
  xs.forEach((x, i) => {
    if (!shapesEqual(x.shape, xs[0].shape)) throw new ShapeError('stack', `tensor ${i} has shape ${fmtShape(x.shape)}, expected ${fmtShape(xs[0].shape)} like tensor 0`);
  });
  const axis = normalizeAxis('stack', dim, xs[0].ndim + 1);
  return concat(xs.map((x) => unsqueeze(x, axis)), axis);
}

/** Pieces of `size` along dim (the last may be smaller), or pieces of the given sizes. */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  needDims('split', x);
  const axis = normalizeAxis('split', dim, x.ndim);
  const n = x.shape[axis];
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0) throw new ArgumentError('split', `split size must be a positive integer, got ${sizeOrSections}`);
    sizes = Array.from({ length: Math.max(Math.ceil(n / sizeOrSections), 1) }, (_, i) => Math.min(sizeOrSections, n - i * sizeOrSections));
  } else {
    sizes = [...sizeOrSections];
    if (sizes.reduce((a, b) => a + b, 0) !== n) throw new ShapeError('split', `sections [${sizes.join(', ')}] do not sum to dim ${dim} of size ${n}`);
  }
  let start = 0;
  return sizes.map((len) => { const t = narrow(x, axis, start, len); start += len; return t; });
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  needDims('chunk', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError('chunk', `chunks must be a positive integer, got ${chunks}`);
  const axis = normalizeAxis('chunk', dim, x.ndim);
  const n = x.shape[axis];
  // An empty dim gives `chunks` empty pieces, as PyTorch (a split size of 0).
  if (n === 0) return Array.from({ length: chunks }, () => narrow(x, axis, 0, 0));
  return split(x, Math.ceil(n / chunks), dim);
}

export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const axes = normalizeAxes('flip', dims, x.ndim);
  return axes.length === 0 ? x : new Flip(axes).apply(x);
}

/** Keeps entries with (column − row) ≤ diagonal (tril) or ≥ diagonal (triu) over the last two dims. */
function triangle(op: string, x: Tensor, diagonal: number, keep: (colMinusRow: number) => boolean): Tensor {
  if (x.ndim < 2) throw new ShapeError(op, `expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const [h, w] = x.shape.slice(-2);
  const bits = Uint8Array.from({ length: h * w }, (_, k) => (keep((k % w) - Math.floor(k / w) - diagonal) ? 1 : 0));
  const mask = p.fromHost(x, bits, [h, w], 'bool');
  return mask.where(x, 0);
}
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal, (k) => k <= 0);
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal, (k) => k >= 0);

export function toBackend(x: Tensor, name: string): Tensor {
  return x.backendName === name ? x : new ToBackend(name).apply(x);
}

export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  d.checkDtype('cast', x, dtype);
  if (isFloat(x.dtype) && isFloat(dtype)) return new Cast(dtype).apply(x);
  return d.cast(x, dtype); // to or from ints/bools: no gradient
}

/** A dense copy (always, when `force`); the gradient passes through unchanged. */
export function contiguous(x: Tensor, force = false): Tensor {
  return !force && x.isContiguous() ? x : new Contiguous().apply(x);
}
