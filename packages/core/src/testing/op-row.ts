/**
 * One row of the op table and the small builders every row file uses. A row says how graft calls
 * one fixture op, whether it has a gradient, its tolerances, its skips (data, with a reason) and its
 * error inputs (bad calls that must raise a named GraftError before any kernel).
 */
import type { DType } from '../dtype.js';
import type { GraftError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Tolerances } from './allclose.js';

/** The tests of the conformance suite that a skip can name. */
export const conformanceTests = ['forward', 'backward', 'noncontiguous', 'gradcheck', 'gradgradcheck', 'fused'] as const;
export type ConformanceTest = (typeof conformanceTests)[number];

/** Skips are data, with a reason (PyTorch's DecorateInfo); a skip without one fails the suite. */
export interface Skip {
  test: ConformanceTest;
  reason: string;
  /** Only on this backend (default: every backend). */
  backend?: string;
  /** Only in this dtype (default: every dtype). */
  dtype?: DType;
  /** Only this fixture case (default: every case of the op). */
  case?: string;
}

export type Kwargs = Record<string, any>;

/**
 * A bad call and the error it must raise (PyTorch's ErrorInput): `call` builds its inputs on the
 * backend under test and calls the op; the suite checks the class and that the message matches.
 */
export interface ErrorInput {
  /** What is wrong, as a test title ("int32 from NaN"). */
  name: string;
  call: (backend: string) => unknown;
  error: abstract new (...args: any[]) => GraftError;
  message: RegExp;
}

export interface OpRow {
  /** Calls graft: `inputs` in fixture order, `kwargs` as recorded by the generator. */
  fn: (inputs: Tensor[], kwargs: Kwargs) => Tensor;
  /** For ops returning values and indices: the indices (fn returns the values). */
  indices?: (inputs: Tensor[], kwargs: Kwargs) => Tensor;
  differentiable: boolean;
  /** Run second-order gradcheck too. */
  secondOrder?: boolean;
  /** Per-dtype tolerances for every case of the op (default: defaultTolerances). */
  tol?: Partial<Tolerances>;
  /** Per-case tolerances, where one case is less well conditioned than the rest (say why beside it). */
  caseTol?: { [caseName: string]: Partial<Tolerances> };
  skips?: Skip[];
  /** Bad calls of this op and the errors they raise (run on every backend). */
  errors?: ErrorInput[];
  /** Why this row has no fixture values (random draws, creation functions): its checks are its error inputs and core's own tests. */
  noFixtures?: string;
}

/** A family's rows, by op name (each family file ends its table with `satisfies Rows`, keeping the names as literal keys). */
export type Rows = { readonly [op: string]: OpRow };

/** A row of error inputs only (an op without PyTorch fixture values; say why in `noFixtures`). */
export const errorsOnly = (noFixtures: string, errors: ErrorInput[]): OpRow =>
  ({ fn: () => { throw new Error('an errors-only row has no fixture cases'); }, differentiable: false, noFixtures, errors });

export type Fn1 = (x: Tensor, k: Kwargs) => Tensor;
export type Fn2 = (a: Tensor, b: Tensor | number, k: Kwargs) => Tensor;

/** An op of one tensor. */
export const un = (f: Fn1, opts: Partial<OpRow> = {}): OpRow => ({ fn: ([x], k) => f(x, k), differentiable: true, ...opts });
/** An op of two operands; the second may be a JS number given as kwargs.other. */
export const bin = (f: Fn2, opts: Partial<OpRow> = {}): OpRow => ({ fn: ([a, b], k) => f(a, b ?? k.other, k), differentiable: true, ...opts });
/** Not differentiable: values only. */
export const values = { differentiable: false } as const;
export const second = { secondOrder: true } as const;

/**
 * Logits of ±1e4 in float32: the max-shifted result (x − logsumexp) inherits the rounding of a
 * logsumexp near 1e4, half an ulp = 2^-11 ≈ 4.9e-4 absolute; PyTorch's float32 does the same.
 */
export const bigLogits = (op: string): Partial<OpRow> => ({ caseTol: { [`${op}_big_logits`]: { float32: { atol: 1e-3, rtol: 1e-3 } } } });

/** Values and indices: fn gives the values, `indices` the indices. */
export const withIndices = (f: (x: Tensor, k: Kwargs) => Tensor | { values: Tensor; indices: Tensor }, opts: Partial<OpRow> = {}): OpRow => ({
  fn: ([x], k) => { const r = f(x, k); return 'values' in r ? r.values : r; },
  indices: ([x], k) => { const r = f(x, k); if (!('indices' in r)) throw new Error('no indices for this call'); return r.indices; },
  differentiable: true,
  ...opts,
});

