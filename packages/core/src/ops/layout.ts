/**
 * Layout ops, all compositions of differentiable views and index ops (no Function, no primitive):
 * repeat, tile, roll, diagonal, diag, diagEmbed, trace, rot90, unfold. Their gradients (to any
 * order) come from expand, narrow, concat, indexSelect and scatterAdd, and every backend runs them.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { checkSizes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import * as p from './primitives.js';
import { concat } from './movement.js';

/** An int32 tensor of `values` on `like`'s backend (a built index for indexSelect/scatterAdd). */
export function int32Like(like: Tensor, values: Int32Array, shape: readonly number[] = [values.length]): Tensor {
  return p.fromHost(like, values, shape, 'int32');
}

/** The entries at `positions` along `axis` (an indexSelect with a built index; a narrow when empty). */
export function pick(x: Tensor, axis: number, positions: Int32Array): Tensor {
  return positions.length === 0 ? x.narrow(axis, 0, 0) : x.indexSelect(axis, int32Like(x, positions));
}

/** PyTorch's Tensor.repeat: out[i…] = x[i mod shape…]; `sizes` has at least x.ndim entries (extra ones lead). */
export const repeat = (x: Tensor, sizes: readonly number[]): Tensor => repeatAs('repeat', x, sizes);

/** PyTorch's torch.tile: repeat, with `dims` padded by leading 1s when shorter than x.ndim. */
export const tile = (x: Tensor, dims: readonly number[]): Tensor =>
  repeatAs('tile', x, [...Array(Math.max(x.ndim - dims.length, 0)).fill(1), ...dims]);

function repeatAs(op: string, x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) {
    throw new ShapeError(op, `got ${sizes.length} repeat sizes [${sizes.join(', ')}] for a tensor of shape ${fmtShape(x.shape)} (expected at least ${x.ndim})`);
  }
  checkSizes(op, sizes);
  const shape = [...Array(sizes.length - x.ndim).fill(1), ...x.shape];
  // [d0, d1, …] → [1, d0, 1, d1, …] → expand to [r0, d0, r1, d1, …] → merge pairs: [r0·d0, r1·d1, …].
  const spread = x.reshape(shape.flatMap((s) => [1, s])).expand(shape.flatMap((s, i) => [sizes[i], s]));
  return spread.reshape(shape.map((s, i) => s * sizes[i]));
}

/** torch.roll: out[(i + shift) mod n] = x[i] along each dim; without dims, over the flattened tensor. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  const s = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (!s.every(Number.isInteger)) throw new ArgumentError('roll', `shifts must be integers, got [${s.join(', ')}]`);
  if (dims === undefined) {
    if (s.length !== 1) throw new ArgumentError('roll', `without dims, expected one shift, got [${s.join(', ')}]`);
    return roll(x.reshape([-1]), s, [0]).reshape(x.shape);
  }
  const ds = typeof dims === 'number' ? [dims] : [...dims];
  if (ds.length !== s.length) {
    throw new ArgumentError('roll', `got ${s.length} shifts [${s.join(', ')}] and ${ds.length} dims [${ds.join(', ')}] (expected as many shifts as dims)`);
  }
  return ds.reduce((y, dim, i) => {
    const axis = normalizeAxis('roll', dim, x.ndim);
    const n = y.ndim === 0 ? 1 : y.shape[axis];
    const k = n === 0 ? 0 : ((s[i] % n) + n) % n;
    // The last k entries move to the front: concat(x[n−k:], x[:n−k]).
    return k === 0 ? y : concat([y.narrow(axis, n - k, k), y.narrow(axis, 0, n - k)], axis);
  }, x);
}

/** Two distinct dims of x (normalised), or a ShapeError naming the op. */
function dimPair(op: string, ndim: number, dim1: number, dim2: number): [number, number] {
  const a = normalizeAxis(op, dim1, ndim);
  const b = normalizeAxis(op, dim2, ndim);
  if (a === b) throw new ShapeError(op, `dims ${dim1} and ${dim2} are the same dim ${a} (expected two different dims)`);
  return [a, b];
}

/** Length of the `offset` diagonal of an n1 × n2 matrix, and the flat position of its first entry. */
function diagonalSpan(n1: number, n2: number, offset: number): { length: number; start: number } {
  const length = Math.max(offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2), 0);
  return { length, start: offset >= 0 ? offset : -offset * n2 };
}

/** torch.diagonal: dims dim1, dim2 removed, their `offset` diagonal appended as the last dim (a strided pick of the flattened pair). */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  if (x.ndim < 2) throw new ShapeError('diagonal', `expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const [a, b] = dimPair('diagonal', x.ndim, dim1, dim2);
  const rest = x.shape.map((_, i) => i).filter((i) => i !== a && i !== b);
  const [n1, n2] = [x.shape[a], x.shape[b]];
  const flat = x.permute([...rest, a, b]).reshape([...rest.map((i) => x.shape[i]), n1 * n2]);
  const { length, start } = diagonalSpan(n1, n2, offset);
  return pick(flat, rest.length, Int32Array.from({ length }, (_, k) => start + k * (n2 + 1)));
}

/** torch.diag_embed: the last dim of x placed on the `offset` diagonal of dims (dim1, dim2) of a zero tensor with one more dim. */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  if (x.ndim === 0) throw new ShapeError('diagEmbed', 'expected at least 1 dim, got a 0-d tensor');
  const [a, b] = dimPair('diagEmbed', x.ndim + 1, dim1, dim2);
  const n = x.shape[x.ndim - 1];
  const m = n + Math.abs(offset);
  const batch = x.shape.slice(0, -1);
  const { start } = diagonalSpan(m, m, offset);
  // Scatter x into a zero [..., m·m] at the diagonal's flat positions; the gradient of x is a gather of those positions.
  const positions = int32Like(x, Int32Array.from({ length: n }, (_, k) => start + k * (m + 1)));
  const index = positions.reshape([...batch.map(() => 1), n]).expand(x.shape);
  const work = x.dtype === 'bool' ? x.int() : x; // scatterAdd adds: bools go through int32
  const flat = d.full(work, [...batch, m * m], 0).scatterAdd(-1, index, work);
  const square = flat.reshape([...batch, m, m]);
  // Batch dims fill the free output positions in order; rows go to dim1, columns to dim2.
  const perm = new Array<number>(x.ndim + 1);
  perm[a] = batch.length;
  perm[b] = batch.length + 1;
  let next = 0;
  for (let i = 0; i < perm.length; i++) if (perm[i] === undefined) perm[i] = next++;
  const out = square.permute(perm);
  return work === x ? out : out.bool();
}

/** torch.diag: a 1-d x gives the square matrix with x on its `offset` diagonal; a 2-d x gives that diagonal. */
export function diag(x: Tensor, offset = 0): Tensor {
  if (x.ndim === 1) return diagEmbed(x, offset, 0, 1);
  if (x.ndim === 2) return diagonal(x, offset, 0, 1);
  throw new ShapeError('diag', `expected a 1-d or 2-d tensor, got shape ${fmtShape(x.shape)}`);
}

/** torch.trace: the sum of the main diagonal of a matrix. */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new ShapeError('trace', `expected a 2-d matrix, got shape ${fmtShape(x.shape)}`);
  return diagonal(x).sum();
}

/** torch.rot90: k quarter turns from dims[0] towards dims[1] (k mod 4; negative turns the other way). */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  if (!Number.isInteger(k)) throw new ArgumentError('rot90', `k must be an integer, got ${k}`);
  if (dims.length !== 2) throw new ShapeError('rot90', `expected 2 rotation dims, got [${dims.join(', ')}]`);
  if (x.ndim < 2) throw new ShapeError('rot90', `expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const [a, b] = dimPair('rot90', x.ndim, dims[0], dims[1]);
  switch (((k % 4) + 4) % 4) {
    case 1: return x.flip(b).transpose(a, b);
    case 2: return x.flip([a, b]);
    case 3: return x.flip(a).transpose(a, b);
    default: return x;
  }
}

/** Tensor.unfold: windows of `size` every `step` along `dim`; that dim becomes the window count, and the window is a new last dim. */
export function unfold(x: Tensor, dim: number, size: number, step: number): Tensor {
  const axis = normalizeAxis('unfold', dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[axis];
  if (!Number.isInteger(step) || step < 1) throw new ArgumentError('unfold', `step must be a positive integer, got ${step}`);
  if (!Number.isInteger(size) || size < 0 || size > n) {
    throw new ShapeError('unfold', `window size ${size} does not fit dim ${dim} of size ${n} (shape ${fmtShape(x.shape)}; expected 0 <= size <= ${n})`);
  }
  if (x.ndim === 0) return x.reshape([1]).narrow(0, 0, size); // PyTorch: a 0-d tensor gives one window of shape [size]
  const windows = Math.floor((n - size) / step) + 1;
  const positions = Int32Array.from({ length: windows * size }, (_, i) => Math.floor(i / size) * step + (i % size));
  const shape = [...x.shape];
  shape.splice(axis, 1, windows, size);
  return pick(x, axis, positions).reshape(shape).movedim(axis + 1, -1);
}
