/**
 * Scatter-style and data-dependent indexing: scatter, indexAdd, take (compositions of scatterAdd,
 * gather and indexSelect, so differentiable to any order on every backend) and maskedSelect,
 * nonzero (whose output size depends on the values: they read the mask or input on the host).
 */
import { BackendError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes, contiguousStrides, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import { checkIndex, checkIndexShape, checkSameBackend, selectChecked } from './indexing.js';
import { int32Like, pick } from './layout.js';

/** The index checks gather and scatterAdd run (backend, int32, range on the device), for an index into a dim of `size`. */
function checkIndexInto(op: string, x: Tensor, index: Tensor, size: number, lo = 0): void {
  checkSameBackend(op, x, index);
  checkIndex(op, index, size, lo);
}

function sameDtype(op: string, x: Tensor, other: Tensor, what: string): void {
  if (other.dtype !== x.dtype) throw new DtypeError(op, `expected ${what} of the input's dtype ${x.dtype}, got ${other.dtype}`);
}

/** Scatter-adds go through int32 for bool tensors (a sum of booleans is not a boolean). */
const addable = (t: Tensor): Tensor => (t.dtype === 'bool' ? t.int() : t);
const restore = (t: Tensor, dtype: Tensor['dtype']): Tensor => (t.dtype === dtype ? t : t.cast(dtype));

/**
 * PyTorch's Tensor.scatter (set semantics): out = x, then out[… index[i] …] = src[i] (or `value`) along
 * `dim`. Composed as where(hit, scatterAdd(0, index, src), x), where hit marks the written positions,
 * so x's gradient is 0 there and src's is g.gather(dim, index). Duplicate indices (undefined in
 * PyTorch) write the sum of their sources in graft.
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  const axis = normalizeAxis('scatter', dim, x.ndim);
  checkIndexShape('scatter', x, axis, index);
  if (typeof src !== 'number') {
    sameDtype('scatter', x, src, 'src');
    if (src.ndim !== index.ndim || index.shape.some((s, i) => s > src.shape[i])) {
      throw new ShapeError('scatter', `index of shape ${fmtShape(index.shape)} is larger than src of shape ${fmtShape(src.shape)} (expected the same number of dims and sizes no larger)`);
    }
  }
  checkIndexInto('scatter', x, index, x.ndim === 0 ? 1 : x.shape[axis]);
  if (x.ndim === 0) return scatter(x.reshape([1]), 0, index.reshape([1]), typeof src === 'number' ? src : src.reshape([1])).reshape([]);
  const work = addable(x);
  const zeros = d.full(work, x.shape, 0);
  const hit = zeros.scatterAdd(axis, index, d.full(work, index.shape, 1)).gt(0);
  const out = typeof src === 'number' ? work.maskedFill(hit, src) : hit.where(zeros.scatterAdd(axis, index, addable(src)), work);
  return restore(out, x.dtype);
}

export interface IndexAddOptions {
  /** Scale of `source` (PyTorch's alpha). */
  alpha?: number;
}

/** PyTorch's Tensor.index_add: out = x; out[… index[i] …] += alpha · source[… i …] along `dim` (duplicates accumulate). */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, { alpha = 1 }: IndexAddOptions = {}): Tensor {
  const axis = normalizeAxis('indexAdd', dim, x.ndim);
  if (index.ndim > 1) throw new ShapeError('indexAdd', `expected a 1-d index, got shape ${fmtShape(index.shape)}`);
  sameDtype('indexAdd', x, source, 'source');
  const want = x.shape.map((s, i) => (i === axis ? index.size : s));
  if (x.ndim === 0 ? source.size !== 1 || index.size !== 1 : source.ndim !== x.ndim || source.shape.some((s, i) => s !== want[i])) {
    throw new ShapeError('indexAdd', `source of shape ${fmtShape(source.shape)} does not match input ${fmtShape(x.shape)} with ${index.size} indices at dim ${axis} (expected ${fmtShape(want)})`);
  }
  checkIndexInto('indexAdd', x, index, x.ndim === 0 ? 1 : x.shape[axis]);
  if (x.ndim === 0) return indexAdd(x.reshape([1]), 0, index.reshape([1]), source.reshape([1]), { alpha }).reshape([]);
  const scaled = alpha === 1 ? addable(source) : addable(source).mul(alpha);
  const spread = index.reshape(x.shape.map((_, i) => (i === axis ? index.size : 1))).expand(scaled.shape);
  return restore(addable(x).scatterAdd(axis, spread, scaled), x.dtype);
}

/** torch.take: x read as a flat row-major vector at `index` (any shape; negative entries count from the end). */
export function take(x: Tensor, index: Tensor): Tensor {
  const n = x.size;
  checkIndexInto('take', x, index, n, -n);
  const flat = index.reshape([-1]);
  // Negative entries count from the end, wrapped on the index's backend (no host read).
  return selectChecked(x.reshape([-1]), 0, flat.lt(0).where(flat.add(n), flat)).reshape(index.shape);
}

/** torch.masked_select: the entries of x where the (broadcast) bool mask is true, as a 1-d tensor. Reads the mask on the host (the output size depends on it). */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new DtypeError('maskedSelect', `expected a bool mask, got ${mask.dtype}`);
  if (mask.backendName !== x.backendName) {
    throw new BackendError('maskedSelect', `expected the mask on the input's backend, got '${x.backendName}' and '${mask.backendName}' (move one with .to(name))`);
  }
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const bits = mask.expand(shape).data();
  const positions = Int32Array.from(bits.keys()).filter((i) => bits[i] !== 0);
  return pick(x.expand(shape).reshape([-1]), 0, positions);
}

export interface NonzeroOptions {
  /** Return one 1-d index tensor per dim instead of one [n, ndim] tensor. */
  asTuple?: boolean;
}

/**
 * torch.nonzero: the int32 [n, ndim] indices of x's nonzero (or true, or NaN) entries in row-major
 * order; with asTuple, one 1-d tensor per dim (a 0-d x counts as 1-d). No gradient. Reads x on the
 * host: the output size depends on the values.
 */
export function nonzero(x: Tensor, opts?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts?: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, { asTuple = false }: NonzeroOptions = {}): Tensor | Tensor[] {
  const values = x.data();
  const hits = Int32Array.from(values.keys()).filter((i) => values[i] !== 0);
  const shape = asTuple && x.ndim === 0 ? [1] : x.shape;
  // Row-major multi-index of flat position p: coordinate j is floor(p / stride_j) mod shape_j.
  const strides = contiguousStrides(shape);
  const coord = (p: number, j: number) => Math.floor(p / strides[j]) % shape[j];
  if (asTuple) return shape.map((_, j) => int32Like(x, hits.map((p) => coord(p, j))));
  return int32Like(x, Int32Array.from({ length: hits.length * shape.length }, (_, k) => coord(hits[Math.floor(k / shape.length)], k % shape.length)), [hits.length, shape.length]);
}
