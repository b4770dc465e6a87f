/**
 * Order statistics and searching. median, kthvalue and mode pick an index along a dim from a stable
 * sort and gather the values there, so the gradient goes to that index (a scatter-add), as PyTorch.
 * bucketize and searchsorted count comparisons. bincount and unique have data-dependent output
 * sizes: they read the input on the host.
 */
import { Function } from '../autograd/function.js';
import { noGrad } from '../autograd/grad-mode.js';
import { requireAll } from '../checks.js';
import { isFloat, scalarDtype } from '../dtype.js';
import { ArgumentError, BackendError, DtypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import { fmtValue, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import { int32Like, pick } from './layout.js';
import { concat } from './movement.js';
import type { ValuesIndices } from './reduce.js';

/** Chooses, per slice along `axis` (size n ≥ 1), the int32 index of one entry (keepdim shape). */
type Chooser = (x: Tensor, axis: number, n: number) => Tensor;

/** The values and indices that `choose` selects along `dim` (a 0-d x is a 1-element line). */
function selectAlong(op: string, x: Tensor, dim: number, keepdim: boolean, choose: Chooser): ValuesIndices {
  const axis = normalizeAxis(op, dim, x.ndim);
  if (x.ndim === 0) {
    const line = selectAlong(op, x.reshape([1]), 0, keepdim, choose);
    return { values: line.values.reshape([]), indices: line.indices.reshape([]) };
  }
  const n = x.shape[axis];
  if (n === 0) throw new ShapeError(op, `cannot reduce over dim ${dim} of size 0 in shape ${fmtShape(x.shape)} (expected a non-empty dim)`);
  const indices = noGrad(() => choose(x.detach(), axis, n));
  const values = x.gather(axis, indices);
  return keepdim ? { values, indices } : { values: values.squeeze(axis), indices: indices.squeeze(axis) };
}

/** The lower median's position in the stable sort; a slice holding NaN picks its first NaN (PyTorch's median propagates NaN). */
const medianIndex: Chooser = (x, axis, n) => {
  const lower = x.argsort(axis).narrow(axis, (n - 1) >> 1, 1);
  if (!isFloat(x.dtype)) return lower;
  const nan = x.ne(x);
  return nan.int().sum(axis, true).gt(0).where(nan.int().argmax(axis, true), lower);
};

/** median() of all elements: the gradient is shared evenly by the entries equal to it (NaN: by the NaNs), as PyTorch. */
class MedianAll extends Function {
  forward(x: Tensor) {
    const flat = x.reshape([-1]);
    const y = flat.size === 0 ? d.full(x, [], NaN) : selectAlong('median', flat, 0, false, medianIndex).values;
    this.save(x, y);
    return y;
  }
  backward(g: Tensor) {
    const [x, y] = this.savedTensors;
    const hit = x.eq(y).logicalOr(x.ne(x).logicalAnd(y.ne(y))).cast(g.dtype);
    return [hit.div(hit.sum()).mul(g)];
  }
}

/** The lower median (the ⌊(n−1)/2⌋-th smallest): of all elements (NaN when empty), or along `dim` with its index. */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (dim !== undefined) return selectAlong('median', x, dim, keepdim, medianIndex);
  if (x.size === 0 && !isFloat(x.dtype)) throw new ShapeError('median', `the median of an empty ${x.dtype} tensor is undefined (expected a non-empty tensor; an empty float tensor gives NaN)`);
  return new MedianAll().apply(x);
}

/** The k-th smallest entry (1-based; NaN counts as the largest) along `dim`, with its index. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  const n = x.ndim === 0 ? 1 : x.shape[normalizeAxis('kthvalue', dim, x.ndim)];
  if (!Number.isInteger(k) || k < 1 || k > n) throw new IndexError('kthvalue', `k = ${fmtValue(k)} is out of range for a dim of size ${n} (expected an integer 1 <= k <= ${n})`);
  return selectAlong('kthvalue', x, dim, keepdim, (t, axis) => t.argsort(axis).narrow(axis, k - 1, 1));
}

/**
 * The most frequent value along `dim`, PyTorch's rules: among equally frequent values the smallest,
 * at the index of its last occurrence. From a stable sort: runs of equal values get ids (a cumsum of
 * run starts), their lengths come from a scatter-add, and argmax finds the first (smallest) longest run.
 */
export function mode(x: Tensor, dim = -1, keepdim = false): ValuesIndices {
  return selectAlong('mode', x, dim, keepdim, (t, axis, n) => {
    const { values: s, indices: perm } = t.sort(axis);
    const head = d.full(t, t.shape.map((size, i) => (i === axis ? 1 : size)), 1, 'int32');
    const starts = concat([head, s.narrow(axis, 1, n - 1).ne(s.narrow(axis, 0, n - 1)).int()], axis);
    const run = starts.cumsum(axis).sub(1);
    const length = run.zerosLike().scatterAdd(axis, run, run.onesLike()).gather(axis, run);
    const first = length.argmax(axis, true);
    // The run's last sorted position holds its largest original index (the sort is stable).
    return perm.gather(axis, first.add(length.gather(axis, first)).sub(1));
  });
}

// ---- searching a sorted sequence ---------------------------------------------------------------
export interface BucketizeOptions {
  /** Count boundaries <= x instead of < x (the index of the first boundary > x). */
  right?: boolean;
}
export interface SearchOptions extends BucketizeOptions {
  /** 'left' (the first index i with s[i] >= v) or 'right' (the first with s[i] > v); the same as `right`. */
  side?: 'left' | 'right';
}

function rightSide(op: string, { right, side }: SearchOptions): boolean {
  if (right !== undefined && typeof right !== 'boolean') throw new ArgumentError(op, `expected right to be a boolean, got ${fmtValue(right)}`);
  if (side !== undefined && side !== 'left' && side !== 'right') throw new ArgumentError(op, `side can only be 'left' or 'right', got ${fmtValue(side)}`);
  if (side === 'left' && right === true) throw new ArgumentError(op, "side 'left' and right = true are opposites (expected one of them, or both saying right)");
  return right === true || side === 'right';
}

/** Rejects a sequence that is not ascending along its last dim (a value check: one boolean, read now or deferred). */
function checkSorted(op: string, seq: Tensor, what: string): void {
  const m = seq.shape[seq.ndim - 1];
  if (m <= 1) return;
  requireAll(seq.narrow(-1, 1, m - 1).lt(seq.narrow(-1, 0, m - 1)).logicalNot(), () =>
    new ArgumentError(op, `${what} of shape ${fmtShape(seq.shape)} is not sorted in ascending order along its last dim (expected sorted values)`));
}

/**
 * The insertion points, as PyTorch's binary search: the number of s entries with !(s >= v) (left)
 * or !(s > v) (right), so a NaN value goes after every entry. Counted over a [..., K, M]
 * comparison: O(K·M) work, but one pass of elementwise ops on every backend.
 */
function insertionPoints(seq: Tensor, values: Tensor, right: boolean): Tensor {
  const s = seq.ndim === 1 ? seq : seq.unsqueeze(-2);
  const v = values.unsqueeze(-1);
  return (right ? s.gt(v) : s.ge(v)).logicalNot().sum(-1);
}

function checkPair(op: string, seq: Tensor, values: Tensor): void {
  d.expectTensor(op, values, 'the values');
  if (values.backendName !== seq.backendName) {
    throw new BackendError(op, `expected the values on the sequence's backend, got '${seq.backendName}' and '${values.backendName}' (move one with .to(name))`);
  }
}

/** int32 bucket indices of x for 1-d ascending `boundaries`: i with b[i−1] < x <= b[i] (right: b[i−1] <= x < b[i]). */
export function bucketize(x: Tensor, boundaries: Tensor, opts: BucketizeOptions = {}): Tensor {
  d.expectTensor('bucketize', boundaries, 'the boundaries');
  checkPair('bucketize', boundaries, x);
  if (boundaries.ndim !== 1) throw new ShapeError('bucketize', `expected 1-d boundaries, got shape ${fmtShape(boundaries.shape)}`);
  const right = rightSide('bucketize', opts);
  checkSorted('bucketize', boundaries, 'the boundaries');
  return insertionPoints(boundaries, x, right);
}

/**
 * int32 indices where `values` would be inserted into `sortedSequence` to keep it sorted, along its
 * last dim. The sequence is 1-d, or [..., M] with the same leading dims as values [..., K].
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, opts: SearchOptions = {}): Tensor {
  d.expectTensor('searchsorted', sortedSequence, 'the sorted sequence');
  const v = typeof values === 'number' ? d.scalarLike(values, sortedSequence, scalarDtype(values, sortedSequence.dtype), 'searchsorted') : values;
  checkPair('searchsorted', sortedSequence, v);
  const seq = sortedSequence;
  if (seq.ndim === 0) throw new ShapeError('searchsorted', 'expected a sorted sequence of at least 1 dim, got a 0-d tensor');
  if (seq.ndim > 1 && (v.ndim !== seq.ndim || seq.shape.slice(0, -1).some((s, i) => s !== v.shape[i]))) {
    throw new ShapeError('searchsorted', `sorted sequence of shape ${fmtShape(seq.shape)} and values of shape ${fmtShape(v.shape)} do not match (expected a 1-d sequence, or the same leading dims as the values)`);
  }
  const right = rightSide('searchsorted', opts);
  checkSorted('searchsorted', seq, 'the sorted sequence');
  return insertionPoints(seq, v, right);
}

// ---- counting: output sizes depend on the values, so these read the input on the host ----------

/** Counts of each value 0..max of a 1-d non-negative int32 tensor (or the sums of `weights` per value), at least `minlength` long. */
export function bincount(x: Tensor, weights?: Tensor, minlength = 0): Tensor {
  if (x.dtype !== 'int32') throw new DtypeError('bincount', `expected a 1-d int32 tensor of non-negative values, got ${x.dtype}`);
  if (x.ndim !== 1) throw new ShapeError('bincount', `expected a 1-d tensor, got shape ${fmtShape(x.shape)}`);
  if (!Number.isInteger(minlength) || minlength < 0) throw new ArgumentError('bincount', `minlength must be a non-negative integer, got ${fmtValue(minlength)}`);
  if (weights !== undefined) {
    checkPair('bincount', x, weights);
    if (weights.ndim !== 1 || weights.shape[0] !== x.shape[0]) {
      throw new ShapeError('bincount', `weights of shape ${fmtShape(weights.shape)} do not match input of shape ${fmtShape(x.shape)} (expected 1-d weights of the same length)`);
    }
  }
  const values = x.data(); // host read: the output length is max + 1
  let top = -1;
  for (const v of values) {
    if (v < 0) throw new ArgumentError('bincount', `got a negative value ${v} (expected non-negative values)`);
    top = Math.max(top, v);
  }
  // Int or bool weights sum as float32 (graft's float for int inputs; PyTorch uses float64).
  const src = weights ? d.toFloat(weights) : d.full(x, x.shape, 1);
  const bins = d.full(src, [Math.max(top + 1, minlength)], 0);
  return values.length === 0 ? bins : bins.scatterAdd(0, x, src);
}

export interface UniqueOptions {
  /** Accepted for PyTorch parity: graft always returns the unique values in ascending order. */
  sorted?: boolean;
  /** Also return, for each input entry (slice along dim), the index of its unique value. */
  returnInverse?: boolean;
  /** Also return how many times each unique value occurs. */
  returnCounts?: boolean;
  /** Unique slices along this dim (compared lexicographically) instead of unique elements of the flattened input. */
  dim?: number;
}
export interface UniqueResult { values: Tensor; inverse?: Tensor; counts?: Tensor }

/** Orders slices lexicographically, NaN after every number. */
function compareSlices(data: ArrayLike<number>, width: number, i: number, j: number): number {
  for (let k = 0; k < width; k++) {
    const [a, b] = [data[i * width + k], data[j * width + k]];
    if (a < b || (b !== b && a === a)) return -1;
    if (a > b || (a !== a && b === b)) return 1;
  }
  return 0;
}

/**
 * The sorted unique elements (or slices along `dim`) of x, with int32 inverse indices and counts
 * when asked. No gradient, as PyTorch. Reads x on the host: the output size depends on the values.
 * NaNs are each unique (NaN ≠ NaN), as PyTorch's sort-based unique.
 */
export function unique(x: Tensor, opts?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, opts: UniqueOptions & ({ returnInverse: true } | { returnCounts: true })): UniqueResult;
export function unique(x: Tensor, opts?: UniqueOptions): Tensor | UniqueResult;
export function unique(x: Tensor, opts: UniqueOptions = {}): Tensor | UniqueResult {
  const { sorted = true, returnInverse = false, returnCounts = false, dim } = opts;
  for (const [name, v] of [['sorted', sorted], ['returnInverse', returnInverse], ['returnCounts', returnCounts]] as const) {
    if (typeof v !== 'boolean') throw new ArgumentError('unique', `expected ${name} to be a boolean, got ${fmtValue(v)}`);
  }
  if (dim !== undefined && x.ndim === 0) throw new ShapeError('unique', `cannot take unique slices along dim ${dim} of a 0-d tensor (expected at least 1 dim)`);
  const axis = dim === undefined ? 0 : normalizeAxis('unique', dim, x.ndim);
  const lines = dim === undefined ? x.detach().reshape([-1]) : x.detach().movedim(axis, 0);
  const n = lines.shape[0];
  const width = n === 0 ? 0 : lines.size / n;
  const data = lines.data();
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => compareSlices(data, width, i, j) || i - j);
  const same = (i: number, j: number) => { for (let k = 0; k < width; k++) if (data[i * width + k] !== data[j * width + k]) return false; return true; };
  const firsts: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(n);
  for (const p of order) {
    if (firsts.length === 0 || !same(p, firsts[firsts.length - 1])) { firsts.push(p); counts.push(0); }
    inverse[p] = firsts.length - 1;
    counts[counts.length - 1]++;
  }
  const values = pick(dim === undefined ? lines : x.detach(), axis, Int32Array.from(firsts));
  if (!returnInverse && !returnCounts) return values;
  return {
    values,
    ...(returnInverse && { inverse: int32Like(x, inverse, dim === undefined ? x.shape : [n]) }),
    ...(returnCounts && { counts: int32Like(x, Int32Array.from(counts)) }),
  };
}
