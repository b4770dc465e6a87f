/**
 * The thin layer between Tensors and the gate (primitives.ts): broadcasts, promotes dtypes,
 * validates, then calls one primitive wrapper. Nothing here records a graph; Functions call these
 * from `forward`.
 */
import type { ArgReduceOp, BinaryOp, ReduceOp, UnaryOp } from '../backend/backend.js';
import { type DType, isFloat, promoteTypes, scalarDtype } from '../dtype.js';
import { ArgumentError, BackendError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes, checkAllocation, fmtValue, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import * as p from './primitives.js';

export type Scalar = number | boolean;
export type TensorLike = Tensor | Scalar;

export function checkDtype(op: string, t: Tensor, dtype: DType = t.dtype): void {
  const supported = p.dtypesOf(t);
  if (!supported.includes(dtype)) {
    throw new DtypeError(op, `backend '${t.backendName}' does not support ${dtype} (it supports ${supported.join(', ')})`);
  }
}

export function cast(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  checkDtype('cast', t, dtype);
  return p.cast(t, dtype);
}

/** Float ops on int/bool inputs compute in float32, as PyTorch does for torch.exp(int_tensor). */
export const toFloat = (t: Tensor): Tensor => (isFloat(t.dtype) ? t : cast(t, 'float32'));

/** Throws an ArgumentError unless `value` is a Tensor (no nested arrays or numbers where a tensor is needed). */
export function expectTensor(op: string, value: unknown, argName: string): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new ArgumentError(op, `expected ${argName} to be a Tensor, got ${fmtValue(value)}`);
}

/** Throws an ArgumentError unless `value` is a JS number or boolean (never coerce '1' or null). */
export function expectScalar(op: string, value: unknown, argName: string): asserts value is Scalar {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new ArgumentError(op, `expected ${argName} to be a number or a boolean, got ${fmtValue(value)}`);
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The number a buffer of `dtype` stores for `value`: bool is 0/1 (any non-zero, NaN included, is
 * true, as PyTorch), int32 truncates and throws a DtypeError for NaN, ±Infinity and values outside
 * [−2³¹, 2³¹ − 1] (PyTorch: "value cannot be converted to type int32 without overflow").
 */
export function storedValue(op: string, value: number | boolean, dtype: DType): number {
  const v = Number(value);
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  if (dtype === 'int32' && !(v >= INT32_MIN && v < INT32_MAX + 1)) {
    throw new DtypeError(op, `value ${v} cannot be converted to int32 without overflow (expected a finite number in [${INT32_MIN}, ${INT32_MAX}])`);
  }
  return v;
}

/** A 0-d tensor holding `value` on `like`'s backend (in `dtype`); `op` names the caller in errors. */
export function scalarLike(value: Scalar, like: Tensor, dtype: DType = like.dtype, op = 'full'): Tensor {
  expectScalar(op, value, 'the scalar');
  checkDtype(op, like, dtype);
  return p.fill(like, [], storedValue(op, value, dtype), dtype);
}

const isBool = (v: TensorLike): boolean => (v instanceof Tensor ? v.dtype === 'bool' : typeof v === 'boolean');

/** PyTorch's dtype rule that depends on the op: no bool subtraction (pow's negative-integer rule is in binary.ts). */
function checkOpDtypes(op: string, a: TensorLike, b: TensorLike): void {
  if (op === 'sub' && (isBool(a) || isBool(b))) {
    throw new DtypeError(op, isBool(a) && isBool(b)
      ? 'subtraction, the `-` operator, with two bool tensors is not supported (expected logicalXor for masks)'
      : 'subtraction, the `-` operator, with a bool tensor is not supported (expected logicalNot to invert a mask)');
  }
}

/** Lifts scalars to tensors on `like`'s backend and casts both operands to their promoted dtype. */
export function coerce(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (!(a instanceof Tensor)) expectScalar(op, a, 'the first operand');
  if (!(b instanceof Tensor)) expectScalar(op, b, 'the second operand');
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new DtypeError(op, 'expected at least one tensor operand');
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.backendName !== b.backendName) {
      throw new BackendError(op, `expected both tensors on one backend, got '${a.backendName}' and '${b.backendName}' (move one with .to(name))`);
    }
    const d = promoteTypes(a.dtype, b.dtype);
    checkOpDtypes(op, a, b);
    return [promote(a, d), promote(b, d)];
  }
  const [t, s] = a instanceof Tensor ? [a, b as Scalar] : [b as Tensor, a as Scalar];
  const d = scalarDtype(s, t.dtype);
  checkOpDtypes(op, a, b);
  storedValue(op, s, d);
  const lifted = scalarLike(s, t, d, op);
  return a instanceof Tensor ? [promote(a, d), lifted] : [lifted, promote(t, d)];
}

/** An operand at the promoted dtype, through Tensor.cast so a float32 leaf keeps its gradient inside a float64 op (PyTorch's promotion). */
const promote = (t: Tensor, dtype: DType): Tensor => (t.dtype === dtype ? t : t.cast(dtype));

/** A stride-0 view of t at `shape` (t must broadcast to it). */
export function broadcastView(t: Tensor, shape: Shape): Tensor {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const lead = shape.length - t.shape.length;
  if (lead < 0) throw new ShapeError('expand', `cannot expand ${fmtShape(t.shape)} to ${fmtShape(shape)} (fewer dims)`);
  const strides = shape.map((d, i) => {
    const j = i - lead;
    if (j < 0) return 0;
    if (t.shape[j] === d) return t.strides[j];
    if (t.shape[j] === 1) return 0;
    throw new ShapeError('expand', `cannot expand ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
  });
  return new Tensor(t.storage, [...shape], strides, t.offset, t.dtype);
}

export function unary(op: UnaryOp, x: Tensor): Tensor {
  if (op === 'neg' && x.dtype === 'bool') {
    throw new DtypeError('neg', 'negation, the `-` operator, on a bool tensor is not supported (expected logicalNot to invert a mask)');
  }
  return p.unary(op, x);
}

/** Broadcasting binary primitive on operands that already share a dtype. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  checkAllocation(op, shape);
  return p.binary(op, broadcastView(a, shape), broadcastView(b, shape));
}

/** Promotes, then applies a binary primitive; comparisons give bool. */
export function binaryOf(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = coerce(op, a, b);
  return binary(op, x, y);
}

export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes('where', cond.shape, a.shape, b.shape);
  checkAllocation('where', shape);
  const c = cond.dtype === 'bool' ? cond : cast(cond, 'bool');
  return p.where(broadcastView(c, shape), broadcastView(a, shape), broadcastView(b, shape));
}

/** Shape after reducing `axes` (sorted, normalised), with or without the reduced dims kept as 1. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

export function reduce(op: ReduceOp, x: Tensor, axes: readonly number[], keepdim: boolean): Tensor {
  if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(op === 'max' ? 'amax' : 'amin', `cannot reduce over a zero-size dim of shape ${fmtShape(x.shape)} (the result has no identity)`);
  }
  const dtype = op === 'sum' && x.dtype === 'bool' ? 'int32' : x.dtype;
  const src = dtype === x.dtype ? x : cast(x, dtype);
  return p.reduce(op, src, axes, reducedShape(x.shape, axes, keepdim));
}

export function argReduce(op: ArgReduceOp, x: Tensor, axis: number, keepdim: boolean): Tensor {
  if (x.shape[axis] === 0) throw new ShapeError(op, `cannot take ${op} over a zero-size dim of shape ${fmtShape(x.shape)}`);
  return p.argReduce(op, x, axis, reducedShape(x.shape, [axis], keepdim));
}

export const contiguous = (x: Tensor): Tensor => (x.isContiguous() ? x : p.contiguous(x));

/** A new tensor of `shape` filled with `value` on `like`'s backend (newFull, zerosLike, ...). */
export function full(like: Tensor, shape: Shape, value: number, dtype: DType = like.dtype): Tensor {
  checkAllocation('full', shape);
  expectScalar('full', value, 'the fill value');
  return p.fill(like, shape, storedValue('full', value, dtype), dtype);
}
