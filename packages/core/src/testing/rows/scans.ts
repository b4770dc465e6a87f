/** Op-table rows: reductions, scans and order statistics (tools/gen_ops_scans.py). */
import { fromTyped } from '../../creation.js';
import { ArgumentError, DtypeError, IndexError, ShapeError } from '../../errors.js';
import { searchsorted } from '../../ops/order.js';
import type { Tensor } from '../../tensor.js';
import { type ErrorInput, type Kwargs, type Rows, type Skip, bigLogits, second, un, values, withIndices } from '../op-row.js';

const f = (data: number[], shape: number[], backend: string) => fromTyped(data, shape, { backend });
const i32 = (data: number[], shape: number[], backend: string) => fromTyped(data, shape, { dtype: 'int32', backend });
const x23 = (b: string) => f([1, 2, 3, 4, 5, 6], [2, 3], b);

/** An out-of-range dim, for every op with a dim argument. */
const badDim = (op: string, call: (x: Tensor) => unknown, dim = 2): ErrorInput =>
  ({ name: 'dim out of range', call: (b) => call(x23(b)), error: ShapeError, message: new RegExp(`^${op}: dim ${dim} is out of range`) });

/** Ties move the chosen index under a central difference, so finite differences cannot see PyTorch's gradient to that index. */
const tiesSkips = (caseName?: string): Skip[] => (['gradcheck', 'gradgradcheck'] as const).map((test) => ({
  test, ...(caseName && { case: caseName }),
  reason: 'tied values: a central difference on a tied entry moves the chosen index, so gradcheck cannot see the gradient to that index; the backward test checks it against PyTorch',
}));

/** diff's fixture inputs: x, then prepend and append where the kwargs mark them. */
function diffCall([x, ...rest]: Tensor[], k: Kwargs): Tensor {
  const prepend = k.prepend ? rest.shift() : undefined;
  const append = k.append ? rest.shift() : undefined;
  return x.diff(k.n, k.dim, prepend, append);
}

/** unique: the row's values are the unique values, its indices the inverse (or the counts when only they are asked). */
function uniqueCall(x: Tensor, k: Kwargs): { values: Tensor; indices: Tensor } | Tensor {
  if (k.returnInverse) {
    const r = x.unique({ returnInverse: true, returnCounts: k.returnCounts ?? false, dim: k.dim });
    return { values: r.values, indices: r.inverse! };
  }
  if (k.returnCounts) {
    const r = x.unique({ returnCounts: true, dim: k.dim });
    return { values: r.values, indices: r.counts! };
  }
  return x.unique({ dim: k.dim });
}

export const scanRows = {
  cumprod: un((x, k) => x.cumprod(k.dim), {
    ...second,
    errors: [badDim('cumprod', (x) => x.cumprod(2))],
  }),
  logcumsumexp: un((x, k) => x.logcumsumexp(k.dim), {
    ...second,
    ...bigLogits('logcumsumexp'),
    skips: [{ test: 'gradcheck', case: 'logcumsumexp_neg_inf', reason: 'a −∞ input cannot be perturbed by a finite step (−∞ ± ε = −∞); its zero gradient is checked against PyTorch by the backward test' }],
    errors: [
      badDim('logcumsumexp', (x) => x.logcumsumexp(2)),
      { name: 'int input', call: (b) => i32([1, 2, 3], [3], b).logcumsumexp(0), error: DtypeError, message: /^logcumsumexp: expected a float tensor, got int32/ },
    ],
  }),
  cummax: withIndices((x, k) => x.cummax(k.dim), { secondOrder: true, skips: tiesSkips('cummax_ties'), errors: [badDim('cummax', (x) => x.cummax(2))] }),
  cummin: withIndices((x, k) => x.cummin(k.dim), { secondOrder: true, skips: tiesSkips('cummin_ties'), errors: [badDim('cummin', (x) => x.cummin(-3), -3)] }),
  diff: {
    fn: diffCall,
    differentiable: true,
    secondOrder: true,
    errors: [
      badDim('diff', (x) => x.diff(1, 2)),
      { name: 'negative order n', call: (b) => x23(b).diff(-1), error: ArgumentError, message: /^diff: order n must be a non-negative integer, got -1/ },
      { name: '0-d input', call: (b) => f([1], [], b).diff(), error: ShapeError, message: /^diff: expected a tensor of at least 1 dim/ },
      { name: 'prepend with other dims', call: (b) => x23(b).diff(1, -1, f([1, 2, 3], [3], b)), error: ShapeError, message: /^diff: prepend of shape \[3\] does not match input of shape \[2, 3\]/ },
      { name: 'append with another size off the dim', call: (b) => x23(b).diff(1, 1, undefined, f([1, 2, 3], [3, 1], b)), error: ShapeError, message: /^diff: append of shape \[3, 1\] does not match/ },
    ],
  },
  median: withIndices((x, k) => (k.dim === undefined ? x.median() : x.median(k.dim, k.keepdim)), {
    secondOrder: true,
    skips: tiesSkips('median_all_ties'),
    errors: [
      badDim('median', (x) => x.median(2)),
      { name: 'empty dim', call: (b) => f([], [2, 0], b).median(1), error: ShapeError, message: /^median: cannot reduce over dim 1 of size 0/ },
      { name: 'empty int tensor', call: (b) => i32([], [0], b).median(), error: ShapeError, message: /^median: the median of an empty int32 tensor is undefined/ },
    ],
  }),
  kthvalue: withIndices((x, k) => x.kthvalue(k.k, k.dim, k.keepdim), {
    secondOrder: true,
    errors: [
      badDim('kthvalue', (x) => x.kthvalue(1, 2)),
      { name: 'k above the dim size', call: (b) => x23(b).kthvalue(4), error: IndexError, message: /^kthvalue: k = 4 is out of range for a dim of size 3/ },
      { name: 'k = 0 (k is 1-based)', call: (b) => x23(b).kthvalue(0, 0), error: IndexError, message: /^kthvalue: k = 0 is out of range for a dim of size 2/ },
      { name: 'fractional k', call: (b) => x23(b).kthvalue(1.5), error: IndexError, message: /^kthvalue: k = 1.5 is out of range/ },
    ],
  }),
  mode: withIndices((x, k) => x.mode(k.dim, k.keepdim), {
    skips: tiesSkips(),
    errors: [
      badDim('mode', (x) => x.mode(2)),
      { name: 'empty dim', call: (b) => f([], [2, 0], b).mode(1), error: ShapeError, message: /^mode: cannot reduce over dim 1 of size 0/ },
    ],
  }),
  bincount: {
    fn: ([x, w], k) => x.bincount(w, k.minlength),
    ...values,
    errors: [
      { name: '2-d input', call: (b) => i32([1, 2], [1, 2], b).bincount(), error: ShapeError, message: /^bincount: expected a 1-d tensor, got shape \[1, 2\]/ },
      { name: 'negative value', call: (b) => i32([1, -1, 2], [3], b).bincount(), error: ArgumentError, message: /^bincount: got a negative value -1/ },
      { name: 'float input', call: (b) => f([1, 2], [2], b).bincount(), error: DtypeError, message: /^bincount: expected a 1-d int32 tensor of non-negative values, got float32/ },
      { name: 'weights of another length', call: (b) => i32([1, 2], [2], b).bincount(f([1], [1], b)), error: ShapeError, message: /^bincount: weights of shape \[1\] do not match input of shape \[2\]/ },
      { name: 'negative minlength', call: (b) => i32([1], [1], b).bincount(undefined, -1), error: ArgumentError, message: /^bincount: minlength must be a non-negative integer, got -1/ },
    ],
  },
  bucketize: {
    fn: ([x, bounds], k) => x.bucketize(bounds, { right: k.right }),
    ...values,
    errors: [
      { name: '2-d boundaries', call: (b) => x23(b).bucketize(f([1, 2], [1, 2], b)), error: ShapeError, message: /^bucketize: expected 1-d boundaries, got shape \[1, 2\]/ },
      { name: 'unsorted boundaries', call: (b) => x23(b).bucketize(f([3, 1, 2], [3], b)), error: ArgumentError, message: /^bucketize: the boundaries of shape \[3\] is not sorted/ },
      { name: 'non-boolean right', call: (b) => x23(b).bucketize(f([1, 2], [2], b), { right: 1 as unknown as boolean }), error: ArgumentError, message: /^bucketize: expected right to be a boolean, got 1/ },
    ],
  },
  searchsorted: {
    fn: ([s, v], k) => searchsorted(s, v ?? k.value, { right: k.right, side: k.side }),
    ...values,
    errors: [
      { name: 'leading dims that differ', call: (b) => searchsorted(x23(b), f([1, 2, 3, 4, 5, 6], [3, 2], b)), error: ShapeError, message: /^searchsorted: sorted sequence of shape \[2, 3\] and values of shape \[3, 2\] do not match/ },
      { name: 'batched sequence, fewer value dims', call: (b) => searchsorted(x23(b), f([1, 2], [2], b)), error: ShapeError, message: /^searchsorted: sorted sequence of shape \[2, 3\] and values of shape \[2\] do not match/ },
      { name: '0-d sequence', call: (b) => searchsorted(f([1], [], b), f([1], [1], b)), error: ShapeError, message: /^searchsorted: expected a sorted sequence of at least 1 dim/ },
      { name: 'unsorted batched sequence', call: (b) => searchsorted(f([1, 2, 3, 3, 1, 2], [2, 3], b), f([1, 2], [2, 1], b)), error: ArgumentError, message: /^searchsorted: the sorted sequence of shape \[2, 3\] is not sorted/ },
      { name: "side 'left' with right = true", call: (b) => searchsorted(f([1, 2], [2], b), 1, { right: true, side: 'left' }), error: ArgumentError, message: /^searchsorted: side 'left' and right = true are opposites/ },
      { name: 'unknown side', call: (b) => searchsorted(f([1, 2], [2], b), 1, { side: 'middle' as 'left' }), error: ArgumentError, message: /^searchsorted: side can only be 'left' or 'right', got string 'middle'/ },
    ],
  },
  unique: withIndices(uniqueCall, {
    ...values,
    errors: [
      badDim('unique', (x) => x.unique({ dim: 2 })),
      { name: 'dim of a 0-d tensor', call: (b) => f([1], [], b).unique({ dim: 0 }), error: ShapeError, message: /^unique: cannot take unique slices along dim 0 of a 0-d tensor/ },
      { name: 'non-boolean returnCounts', call: (b) => x23(b).unique({ returnCounts: 'yes' as unknown as boolean }), error: ArgumentError, message: /^unique: expected returnCounts to be a boolean/ },
    ],
  }),
} satisfies Rows;
