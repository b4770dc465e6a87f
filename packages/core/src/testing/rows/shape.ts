/** Op-table rows: shape and indexing (tools/gen_ops_shape.py). */
import { fromTyped } from '../../creation.js';
import { ArgumentError, DtypeError, IndexError, ShapeError } from '../../errors.js';
import { stack } from '../../ops/movement.js';
import type { Tensor } from '../../tensor.js';
import { type ErrorInput, type Rows, second, un, values } from '../op-row.js';

/** A float32 tensor of shape `shape` (values 0, 1, 2, …) on `backend`. */
const t = (backend: string, shape: number[]): Tensor =>
  fromTyped(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape, { backend });
const ix = (backend: string, values: number[], shape = [values.length]): Tensor => fromTyped(values, shape, { dtype: 'int32', backend });

const err = (name: string, call: (b: string) => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({ name, call, error, message });

/** The bad calls shared by every op with a dim argument. */
const badDim = (op: string, call: (b: string) => unknown): ErrorInput => err('dim out of range', call, ShapeError, new RegExp(`^${op}: dim .* is out of range`));

export const shapeRows = {
  repeat: un((x, k) => x.repeat(k.sizes), {
    ...second,
    errors: [
      err('fewer sizes than dims', (b) => t(b, [2, 3]).repeat(2), ShapeError, /^repeat: got 1 repeat sizes \[2\] for a tensor of shape \[2, 3\] \(expected at least 2\)/),
      err('negative size', (b) => t(b, [2]).repeat(-1), ShapeError, /^repeat: .*-1/),
    ],
  }),
  tile: un((x, k) => x.tile(k.dims), {
    ...second,
    errors: [err('negative size', (b) => t(b, [2]).tile([2, -2]), ShapeError, /^tile: .*-2/)],
  }),
  roll: un((x, k) => x.roll(k.shifts, k.dims), {
    ...second,
    errors: [
      badDim('roll', (b) => t(b, [2, 3]).roll(1, 2)),
      err('shifts and dims of different lengths', (b) => t(b, [2, 3]).roll([1, 2], [0]), ArgumentError, /^roll: got 2 shifts \[1, 2\] and 1 dims \[0\]/),
      err('several shifts without dims', (b) => t(b, [2, 3]).roll([1, 2]), ArgumentError, /^roll: without dims, expected one shift/),
    ],
  }),
  diagonal: un((x, k) => x.diagonal(k.offset, k.dim1, k.dim2), {
    ...second,
    errors: [
      err('dim1 == dim2', (b) => t(b, [3, 3]).diagonal(0, 1, -1), ShapeError, /^diagonal: dims 1 and -1 are the same dim 1 \(expected two different dims\)/),
      badDim('diagonal', (b) => t(b, [3, 3]).diagonal(0, 0, 2)),
      err('1-d input', (b) => t(b, [3]).diagonal(), ShapeError, /^diagonal: expected at least 2 dims, got shape \[3\]/),
    ],
  }),
  diag: un((x, k) => x.diag(k.offset), {
    ...second,
    errors: [err('3-d input', (b) => t(b, [2, 2, 2]).diag(), ShapeError, /^diag: expected a 1-d or 2-d tensor, got shape \[2, 2, 2\]/)],
  }),
  diagEmbed: un((x, k) => x.diagEmbed(k.offset, k.dim1, k.dim2), {
    ...second,
    errors: [
      err('dim1 == dim2', (b) => t(b, [2, 3]).diagEmbed(0, 0, -3), ShapeError, /^diagEmbed: dims 0 and -3 are the same dim 0/),
      badDim('diagEmbed', (b) => t(b, [3]).diagEmbed(0, 0, 2)),
      err('0-d input', (b) => t(b, []).diagEmbed(), ShapeError, /^diagEmbed: expected at least 1 dim/),
    ],
  }),
  trace: un((x) => x.trace(), {
    ...second,
    errors: [err('3-d input', (b) => t(b, [2, 2, 2]).trace(), ShapeError, /^trace: expected a 2-d matrix, got shape \[2, 2, 2\]/)],
  }),
  rot90: un((x, k) => x.rot90(k.k, k.dims), {
    ...second,
    errors: [
      err('equal dims', (b) => t(b, [2, 3]).rot90(1, [1, -1]), ShapeError, /^rot90: dims 1 and -1 are the same dim 1/),
      err('three dims', (b) => t(b, [2, 3, 4]).rot90(1, [0, 1, 2]), ShapeError, /^rot90: expected 2 rotation dims, got \[0, 1, 2\]/),
      err('1-d input', (b) => t(b, [3]).rot90(), ShapeError, /^rot90: expected at least 2 dims/),
      badDim('rot90', (b) => t(b, [2, 3]).rot90(1, [0, 2])),
    ],
  }),
  unfold: un((x, k) => x.unfold(k.dim, k.size, k.step), {
    ...second,
    errors: [
      err('size larger than the dim', (b) => t(b, [2, 3]).unfold(1, 4, 1), ShapeError, /^unfold: window size 4 does not fit dim 1 of size 3/),
      err('step 0', (b) => t(b, [3]).unfold(0, 1, 0), ArgumentError, /^unfold: step must be a positive integer, got 0/),
      badDim('unfold', (b) => t(b, [3]).unfold(1, 1, 1)),
    ],
  }),
  scatter: {
    fn: ([x, i, s], k) => x.scatter(k.dim, i, s ?? k.value),
    differentiable: true,
    ...second,
    errors: [
      err('index out of range', (b) => t(b, [2, 3]).scatter(0, ix(b, [0, 2], [1, 2]), 1), IndexError, /^scatter: index 2 is out of range for a dim of size 2/),
      err('float index', (b) => t(b, [2, 3]).scatter(0, t(b, [1, 2]), 1), DtypeError, /^scatter: expected an int32 index tensor, got float32/),
      err('index wider than the input', (b) => t(b, [2, 3]).scatter(0, ix(b, [0, 1, 0, 1], [1, 4]), 1), ShapeError, /^scatter: index of shape \[1, 4\] does not fit input of shape \[2, 3\]/),
      err('index larger than src', (b) => t(b, [2, 3]).scatter(1, ix(b, [0, 1, 2, 0, 1, 2], [2, 3]), t(b, [2, 2])), ShapeError, /^scatter: index of shape \[2, 3\] is larger than src of shape \[2, 2\]/),
      err('src of another dtype', (b) => t(b, [2, 3]).scatter(0, ix(b, [1], [1, 1]), ix(b, [1], [1, 1])), DtypeError, /^scatter: expected src of the input's dtype float32, got int32/),
      badDim('scatter', (b) => t(b, [2, 3]).scatter(-3, ix(b, [0], [1, 1]), 1)),
    ],
  },
  indexAdd: {
    fn: ([x, i, s], k) => x.indexAdd(k.dim, i, s, { alpha: k.alpha }),
    differentiable: true,
    ...second,
    errors: [
      err('index out of range', (b) => t(b, [2, 3]).indexAdd(1, ix(b, [3]), t(b, [2, 1])), IndexError, /^indexAdd: index 3 is out of range for a dim of size 3/),
      err('float index', (b) => t(b, [2, 3]).indexAdd(0, t(b, [1]), t(b, [1, 3])), DtypeError, /^indexAdd: expected an int32 index tensor, got float32/),
      err('2-d index', (b) => t(b, [2, 3]).indexAdd(0, ix(b, [0, 1], [1, 2]), t(b, [2, 3])), ShapeError, /^indexAdd: expected a 1-d index, got shape \[1, 2\]/),
      err('source of the wrong shape', (b) => t(b, [2, 3]).indexAdd(0, ix(b, [0, 1]), t(b, [2, 2])), ShapeError, /^indexAdd: source of shape \[2, 2\] does not match input \[2, 3\] with 2 indices at dim 0 \(expected \[2, 3\]\)/),
      err('source of another dtype', (b) => t(b, [2, 3]).indexAdd(0, ix(b, [0]), ix(b, [1, 1, 1], [1, 3])), DtypeError, /^indexAdd: expected source of the input's dtype float32, got int32/),
      badDim('indexAdd', (b) => t(b, [2, 3]).indexAdd(2, ix(b, [0]), t(b, [2, 1]))),
    ],
  },
  maskedSelect: {
    fn: ([x, m]) => x.maskedSelect(m),
    differentiable: true,
    ...second,
    errors: [
      err('int32 mask', (b) => t(b, [2, 3]).maskedSelect(ix(b, [1, 0, 1])), DtypeError, /^maskedSelect: expected a bool mask, got int32/),
      err('mask that does not broadcast', (b) => t(b, [2, 3]).maskedSelect(fromTyped([1, 0], [2], { dtype: 'bool', backend: b })), ShapeError, /^maskedSelect: shapes \[2, 3\] and \[2\] cannot be broadcast/),
    ],
  },
  nonzero: un((x, k) => (k.asTuple ? stack(x.nonzero({ asTuple: true }), 0) : x.nonzero()), values),
  take: {
    fn: ([x, i]) => x.take(i),
    differentiable: true,
    ...second,
    errors: [
      err('index out of range', (b) => t(b, [2, 3]).take(ix(b, [6])), IndexError, /^take: index 6 is out of range for a dim of size 6 \(expected -6 <= index < 6\)/),
      err('index below -numel', (b) => t(b, [2, 3]).take(ix(b, [-7])), IndexError, /^take: index -7 is out of range/),
      err('float index', (b) => t(b, [2, 3]).take(t(b, [2])), DtypeError, /^take: expected an int32 index tensor, got float32/),
      err('index into an empty tensor', (b) => t(b, [0, 3]).take(ix(b, [0])), IndexError, /^take: index 0 is out of range for a dim of size 0/),
    ],
  },
} satisfies Rows;
