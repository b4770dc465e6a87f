/**
 * The semantics table: each elementwise op's scalar rule, written once. A rule is a JavaScript
 * expression over float64 numbers (`x` for unary ops; `a`, `b` for binary ones) that may call
 * `Math` and the helpers below. The reference backend compiles each rule into a function
 * (`unaryFn`/`binaryFn`), the CPU backend inlines the expressions into its generated loops, and the
 * tables are typed `{ [op in UnaryOp]: ... }`, so a new op without a rule does not compile.
 *
 * The result is stored into the output dtype by the usual conversion (float32 rounds once, int32
 * truncates and wraps, bool is `!= 0`), so a rule needs an `int32` variant only where plain float
 * arithmetic would not wrap like C int32 (products and powers past 2^53).
 */
import type { BinaryOp, UnaryOp } from './backend.js';
import type { DType } from '../dtype.js';
import { erf } from './erf.js';

export { erf };

/** Round half to even (PyTorch / IEEE roundTiesToEven); Math.round rounds half toward +∞. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** 1/(1+e^-x) without overflow: for x < 0 use e^x/(1+e^x), whose exponential cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * int32 power by repeated squaring, wrapping like C int32. A negative exponent gives the
 * truncated integer result (PyTorch raises instead): 1 for base 1, ±1 for base −1, else 0.
 */
export function intPow(base: number, exp: number): number {
  if (exp < 0) return base === 1 ? 1 : base === -1 ? (exp % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let b = base | 0;
  for (let e = exp; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
  }
  return result;
}

/** The helpers a rule may call besides Math, by the name it calls them. */
export const scalarHelpers = { erf, sigmoid, roundHalfEven, intPow } as const;

export interface UnaryRule {
  /** Expression in `x`. */
  readonly expr: string;
  /** Expression for int32 inputs, where it differs. */
  readonly int32?: string;
}
export interface BinaryRule {
  /** Expression in `a` and `b`. */
  readonly expr: string;
  readonly int32?: string;
  /** 'bool' for comparisons and logical ops (they return 0/1); else the operands' dtype. */
  readonly out: 'same' | 'bool';
}

export type UnaryRules = { readonly [op in UnaryOp]: UnaryRule };
export type BinaryRules = { readonly [op in BinaryOp]: BinaryRule };

export const unaryRules: UnaryRules = {
  neg: { expr: '-x' },
  abs: { expr: 'Math.abs(x)' },
  sign: { expr: '(x > 0 ? 1 : x < 0 ? -1 : x)' }, // keeps ±0 and NaN
  exp: { expr: 'Math.exp(x)' },
  expm1: { expr: 'Math.expm1(x)' },
  log: { expr: 'Math.log(x)' },
  log1p: { expr: 'Math.log1p(x)' },
  sqrt: { expr: 'Math.sqrt(x)' },
  sin: { expr: 'Math.sin(x)' },
  cos: { expr: 'Math.cos(x)' },
  tanh: { expr: 'Math.tanh(x)' },
  sigmoid: { expr: 'sigmoid(x)' },
  erf: { expr: 'erf(x)' },
  floor: { expr: 'Math.floor(x)' },
  ceil: { expr: 'Math.ceil(x)' },
  round: { expr: 'roundHalfEven(x)' },
  reciprocal: { expr: '1 / x' },
};

const arith = (expr: string, int32?: string): BinaryRule => ({ expr, int32, out: 'same' });
const test = (expr: string): BinaryRule => ({ expr: `(${expr} ? 1 : 0)`, out: 'bool' });

export const binaryRules: BinaryRules = {
  add: arith('a + b'),
  sub: arith('a - b'),
  mul: arith('a * b', 'Math.imul(a, b)'), // a float product of two int32 loses bits past 2^53
  div: arith('a / b'),
  pow: arith('Math.pow(a, b)', 'intPow(a, b)'),
  maximum: arith('Math.max(a, b)'), // NaN if either is NaN
  minimum: arith('Math.min(a, b)'),
  lt: test('a < b'),
  le: test('a <= b'),
  gt: test('a > b'),
  ge: test('a >= b'),
  eq: test('a === b'),
  ne: test('a !== b'),
  and: test('a !== 0 && b !== 0'),
  or: test('a !== 0 || b !== 0'),
};

/** Binary ops whose result is a bool tensor whatever the input dtype. */
export const comparisonOps: ReadonlySet<BinaryOp> = new Set(
  (Object.keys(binaryRules) as BinaryOp[]).filter((op) => binaryRules[op].out === 'bool'));

/** The expression of a rule for operands of `dtype`. */
export const ruleExpr = (rule: UnaryRule | BinaryRule, dtype: DType): string =>
  (dtype === 'int32' && rule.int32) || rule.expr;

const compiled = new Map<string, (...values: number[]) => number>();

/** A rule's expression as a function of its operands (cached); `params` names them ('x', or 'a, b'). */
function compile(expr: string, params: string): (...values: number[]) => number {
  let f = compiled.get(`${params}|${expr}`);
  if (!f) {
    const names = Object.keys(scalarHelpers);
    f = new Function(...names, `return (${params}) => ${expr};`)(...names.map((n) => scalarHelpers[n as keyof typeof scalarHelpers]));
    compiled.set(`${params}|${expr}`, f!);
  }
  return f!;
}

/** `unaryRules[op]` as a function for inputs of `dtype`. */
export const unaryFn = (op: UnaryOp, dtype: DType): ((x: number) => number) => compile(ruleExpr(unaryRules[op], dtype), 'x');
/** `binaryRules[op]` as a function for operands of `dtype`. */
export const binaryFn = (op: BinaryOp, dtype: DType): ((a: number, b: number) => number) => compile(ruleExpr(binaryRules[op], dtype), 'a, b');
