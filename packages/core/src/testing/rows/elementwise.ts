/** Op-table rows: elementwise math and activations (tools/gen_ops_elementwise.py). */
import { fromTyped } from '../../creation.js';
import { ArgumentError, DtypeError, ShapeError } from '../../errors.js';
import * as ax from '../../ops/activation-extra.js';
import * as m from '../../ops/math.js';
import * as sp from '../../ops/special.js';
import type { Tensor } from '../../tensor.js';
import { type ErrorInput, type Kwargs, type OpRow, type Rows, bigLogits, bin, second, un } from '../op-row.js';

/** A tensor of shape `shape` on `backend`: float32 0.1, 0.2, … or int32 0, 1, 2, … */
const t = (backend: string, shape: number[], dtype: 'float32' | 'int32' = 'float32'): Tensor =>
  fromTyped(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'int32' ? i : (i + 1) / 10)), shape, { dtype, backend });

const err = (name: string, call: (b: string) => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({ name, call, error, message });

/** A JS number where a tensor belongs: named, not a raw TypeError. */
const notATensor = (op: string, call: (x: any) => unknown): ErrorInput =>
  err('a number instead of a tensor', () => call(0.5), ArgumentError, new RegExp(`^${op}: expected the input to be a Tensor, got 0.5`));

/** A unary op: `method` calls it, `free` is its free function (given a number, it must name the op). */
const unary = (op: string, free: (x: any) => Tensor, method: (x: Tensor, k: Kwargs) => Tensor, opts: Partial<OpRow> = {}): OpRow =>
  un(method, { ...second, ...opts, errors: [notATensor(op, free), ...(opts.errors ?? [])] });

/** Bad calls of an op of two operands: shapes that do not broadcast, and a string operand. */
const binaryErrors = (op: string, f: (a: any, b: any) => Tensor): ErrorInput[] => [
  err('shapes that do not broadcast', (b) => f(t(b, [2, 3]), t(b, [4])), ShapeError, new RegExp(`^${op}: shapes \\[2, 3\\] and \\[4\\] cannot be broadcast`)),
  err('a string operand', (b) => f(t(b, [2]), '1'), ArgumentError, new RegExp(`^${op}: expected the second operand to be a number or a boolean, got string '1'`)),
];

export const elementwiseRows = {
  // ---- inverse trigonometric and hyperbolic ----
  asin: unary('asin', m.asin, (x) => x.asin()),
  acos: unary('acos', m.acos, (x) => x.acos()),
  atan: unary('atan', m.atan, (x) => x.atan()),
  atan2: bin((y, x) => y.atan2(x), { ...second, errors: binaryErrors('atan2', m.atan2) }),
  tan: unary('tan', m.tan, (x) => x.tan()),
  sinh: unary('sinh', m.sinh, (x) => x.sinh()),
  cosh: unary('cosh', m.cosh, (x) => x.cosh()),
  asinh: unary('asinh', m.asinh, (x) => x.asinh()),
  acosh: unary('acosh', m.acosh, (x) => x.acosh()),
  atanh: unary('atanh', m.atanh, (x) => x.atanh()),

  // ---- rounding toward zero ----
  trunc: unary('trunc', m.trunc, (x) => x.trunc()),
  frac: unary('frac', m.frac, (x) => x.frac(), {
    errors: [err('an int32 tensor', (b) => t(b, [3], 'int32').frac(), DtypeError, /^frac: got a int32 tensor, expected float32 or float64/)],
  }),

  // ---- special functions ----
  lgamma: unary('lgamma', sp.lgamma, (x) => x.lgamma()),
  digamma: unary('digamma', sp.digamma, (x) => x.digamma()),
  erfinv: unary('erfinv', sp.erfinv, (x) => x.erfinv()),

  // ---- binary and ternary ----
  xlogy: bin((x, y) => x.xlogy(y), { ...second, errors: binaryErrors('xlogy', m.xlogy) }),
  logaddexp: bin((a, b) => a.logaddexp(b), { ...second, errors: binaryErrors('logaddexp', m.logaddexp), ...bigLogits('logaddexp') }),
  lerp: {
    fn: ([s, e, w], k) => s.lerp(e, w ?? k.weight),
    differentiable: true,
    secondOrder: true,
    errors: [
      err('end of another dtype', (b) => t(b, [2]).lerp(t(b, [2], 'int32'), 0.5), DtypeError, /^lerp: expected end of dtype float32 \(start's\), got int32/),
      err('int32 tensors', (b) => t(b, [2], 'int32').lerp(t(b, [2], 'int32'), 0.5), DtypeError, /^lerp: got int32 tensors, expected float32 or float64/),
      err('shapes that do not broadcast', (b) => t(b, [2, 3]).lerp(t(b, [3]), t(b, [2])), ShapeError, /^lerp: shapes \[2, 3\] and \[3\] and \[2\] cannot be broadcast/),
      err('a string weight', (b) => t(b, [2]).lerp(t(b, [2]), '0.5' as any), ArgumentError, /^lerp: expected weight to be a number or a boolean, got string '0.5'/),
    ],
  },
  addcmul: {
    fn: ([x, a, b], k) => x.addcmul(a, b, k.value),
    differentiable: true,
    secondOrder: true,
    errors: [
      err('shapes that do not broadcast', (b) => m.addcmul(t(b, [2, 3]), t(b, [3]), t(b, [4])), ShapeError, /^addcmul: shapes \[2, 3\] and \[3\] and \[4\] cannot be broadcast/),
      err('a string value', (b) => m.addcmul(t(b, [2]), t(b, [2]), t(b, [2]), '2' as any), ArgumentError, /^addcmul: expected value to be a number or a boolean, got string '2'/),
    ],
  },

  // ---- activations ----
  hardtanh: unary('hardtanh', ax.hardtanh, (x, k) => x.hardtanh(k.minVal, k.maxVal), {
    secondOrder: false,
    skips: [{ test: 'gradcheck', case: 'hardtanh_at_bounds', reason: 'inputs sit exactly on the kinks, where central differences give 1/2; the backward test checks PyTorch\'s 0 there' }],
    errors: [
      err('minVal above maxVal', (b) => t(b, [3]).hardtanh(2, 1), ArgumentError, /^hardtanh: got minVal 2 > maxVal 1, expected minVal ≤ maxVal/),
      err('NaN minVal', (b) => t(b, [3]).hardtanh(NaN, 1), ArgumentError, /^hardtanh: expected minVal to be a finite number, got NaN/),
    ],
  }),
  mish: unary('mish', ax.mish, (x) => x.mish()),
  softsign: unary('softsign', ax.softsign, (x) => x.softsign()),
  softmin: unary('softmin', (x) => ax.softmin(x, 0), (x, k) => x.softmin(k.dim), {
    ...bigLogits('softmin'),
    errors: [
      err('dim out of range', (b) => t(b, [2, 3]).softmin(2), ShapeError, /^softmin: dim 2 is out of range for a tensor of 2 dims/),
      err('no dim', (b) => (t(b, [2, 3]) as any).softmin(), ArgumentError, /^softmin: expected an integer dim, got undefined/),
    ],
  }),
  logit: unary('logit', ax.logit, (x, k) => x.logit(k.eps), {
    skips: [
      { test: 'gradcheck', case: 'logit_outside', reason: 'outputs are NaN and ±∞ (x outside (0, 1)), where central differences are meaningless; the backward test checks PyTorch\'s NaN and ∞ gradients' },
      { test: 'gradgradcheck', case: 'logit_outside', reason: 'outputs are NaN and ±∞ (x outside (0, 1))' },
    ],
    errors: [err('NaN eps', (b) => t(b, [3]).logit(NaN), ArgumentError, /^logit: expected eps to be a finite number, got NaN/)],
  }),
} satisfies Rows;
