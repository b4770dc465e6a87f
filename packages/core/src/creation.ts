/** Creating tensors: from JS data, constants, ranges, identity, and seeded random draws. */
import { defaultBackendName } from './backend/registry.js';
import { type DType, type TypedArray, arrayFor } from './dtype.js';
import { ArgumentError, DtypeError, ShapeError, fmtShape } from './errors.js';
import { expectScalar, storedValue } from './ops/dispatch.js';
import { dtypesOn, fillOn, upload } from './ops/primitives.js';
import { defaultGenerator, type Generator } from './random.js';
import { checkAllocation, MAX_NUMEL, numel, type ShapeArg, shapeOf } from './shape.js';
import type { NestedArray, Tensor } from './tensor.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Backend name (default: the current default backend). */
  backend?: string;
}
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

/** A tensor holding `values` (row-major) with `shape`. */
export function fromTyped(values: TypedArray | readonly number[], shape: readonly number[], opts: CreateOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'float32';
  const name = opts.backend ?? defaultBackendName();
  if (!dtypesOn(name).includes(dtype)) throw new DtypeError('tensor', `backend '${name}' does not support ${dtype}`);
  checkAllocation('tensor', shape);
  if (values.length !== numel(shape)) throw new ShapeError('tensor', `${values.length} values do not fill shape ${fmtShape(shape)}`);
  const data = arrayFor(dtype, values.length);
  // Float arrays store any number as is; int32 and bool need the range check and the 0/1 rule.
  if (dtype === 'int32' || dtype === 'bool') for (let i = 0; i < values.length; i++) data[i] = storedValue('tensor', values[i], dtype);
  else data.set(values);
  const t = upload(name, data, shape, dtype);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Shape and flat values of nested arrays; throws on ragged input. */
function flattenNested(data: NestedArray): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  for (let level: NestedArray = data; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: NestedArray, dim: number) => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new ShapeError('tensor', `ragged nested array: expected a scalar at depth ${dim}`);
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new DtypeError('tensor', `expected numbers or booleans, got ${typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) throw new ShapeError('tensor', `ragged nested array: expected ${shape[dim]} entries at depth ${dim}`);
    v.forEach((x) => walk(x, dim + 1));
  };
  walk(data, 0);
  return { shape, flat };
}

/**
 * A tensor from nested arrays, a typed array or a number. The dtype defaults to float32 for
 * numbers (as TensorFlow.js: JS cannot tell 1 from 1.0), bool for booleans, and the array's own
 * type for typed arrays.
 */
export function tensor(data: NestedArray | TypedArray, opts: CreateOptions = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const own: DType = data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : data instanceof Uint8Array ? 'bool' : 'float32';
    return fromTyped(data, [data.length], { dtype: own, ...opts });
  }
  const { shape, flat } = flattenNested(data);
  const inferred: DType = flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float32';
  return fromTyped(flat.map(Number), shape, { dtype: inferred, ...opts });
}

export function full(shape: ShapeArg, value: number, opts: CreateOptions = {}): Tensor {
  const s = shapeOf(shape);
  checkAllocation('full', s);
  expectScalar('full', value, 'the fill value');
  const dtype = opts.dtype ?? 'float32';
  const name = opts.backend ?? defaultBackendName();
  const t = fillOn(name, s, storedValue('full', value, dtype), dtype);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}
export const zeros = (shape: ShapeArg, opts?: CreateOptions): Tensor => full(shape, 0, opts);
export const ones = (shape: ShapeArg, opts?: CreateOptions): Tensor => full(shape, 1, opts);

const likeOpts = (t: Tensor, opts: CreateOptions): CreateOptions => ({ dtype: t.dtype, backend: t.backendName, ...opts });
export const zerosLike = (t: Tensor, opts: CreateOptions = {}): Tensor => full(t.shape, 0, likeOpts(t, opts));
export const onesLike = (t: Tensor, opts: CreateOptions = {}): Tensor => full(t.shape, 1, likeOpts(t, opts));
export const fullLike = (t: Tensor, value: number, opts: CreateOptions = {}): Tensor => full(t.shape, value, likeOpts(t, opts));

/** [start, end) in steps of `step`; arange(n) is 0..n-1. Integers give int32 unless a dtype is given. */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError('arange', `step must be a non-zero finite number, got ${step}`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new ArgumentError('arange', `expected finite bounds, got start=${lo}, end=${hi}`);
  const n = Math.max(Math.ceil((hi - lo) / step), 0);
  if (n > MAX_NUMEL) throw new ShapeError('arange', `[${lo}, ${hi}) in steps of ${step} has ${n} elements, more than the ${MAX_NUMEL} one typed array can hold`);
  const allInt = [lo, hi, step].every(Number.isInteger);
  const values = Array.from({ length: n }, (_, i) => lo + i * step);
  return fromTyped(values, [n], { dtype: allInt ? 'int32' : 'float32', ...opts });
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError('linspace', `steps must be a non-negative integer, got ${steps}`);
  checkAllocation('linspace', [steps]);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends (as PyTorch) so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  const values = Array.from({ length: steps }, (_, i) => (i < half ? start + i * delta : end - (steps - 1 - i) * delta));
  return fromTyped(values, [steps], opts);
}

export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  checkAllocation('eye', [n, m]);
  const values = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromTyped(values, [n, m], opts);
}

function draw(op: string, shape: ShapeArg, opts: RandomOptions, sample: (g: Generator) => number): Tensor {
  const s = shapeOf(shape);
  checkAllocation(op, s);
  const g = opts.generator ?? defaultGenerator;
  const values = new Float64Array(numel(s));
  for (let i = 0; i < values.length; i++) values[i] = sample(g);
  return fromTyped(values, s, opts);
}

/** Largest float32 below 1: a double in [1 − 2⁻²⁵, 1) would round up to 1.0 when stored as float32. */
const BELOW_ONE_F32 = 1 - 2 ** -24;
/** Uniform on [0, 1). */
export function rand(shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  const top = (opts.dtype ?? 'float32') === 'float32' ? BELOW_ONE_F32 : 1;
  return draw('rand', shape, opts, (g) => Math.min(g.uniform(), top));
}
/** Standard normal. */
export const randn = (shape: ShapeArg, opts: RandomOptions = {}): Tensor => draw('randn', shape, opts, (g) => g.normal());
/** Uniform integers in [low, high), int32 by default. */
export function randint(low: number, high: number, shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ArgumentError('randint', `expected integers low < high, got low=${low}, high=${high}`);
  }
  const dtype = opts.dtype ?? 'int32';
  // Both ends of [low, high − 1] must fit the dtype, so no draw can wrap around.
  storedValue('randint', low, dtype);
  storedValue('randint', high - 1, dtype);
  return draw('randint', shape, { ...opts, dtype }, (g) => g.integer(low, high));
}
