/** Options and checks shared by the layers' constructors. */
import { zeros } from '../creation.js';
import type { DType } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { Buffer, Parameter } from './parameter.js';

/** Where a layer's parameters live and how they are drawn (PyTorch's device/dtype factory kwargs). */
export interface FactoryOptions {
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Backend name (default: the current default backend). */
  backend?: string;
  /** Generator for the initial weights (default: the seeded default one). */
  generator?: Generator;
}

/** Layer sizes must be positive integers: a zero-size weight would give NaN init bounds (1/√0). */
export function checkLayerSizes(layer: string, sizes: { [name: string]: number }): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(layer, `${name} must be a positive integer, got ${v}`);
  }
}

/** A zero-filled parameter of `shape`, ready for an initialiser. */
export const newParameter = (shape: readonly number[], { dtype, backend }: FactoryOptions): Tensor => Parameter.of(zeros(shape, { dtype, backend }));

/** A buffer of `shape` filled with `value`. */
export function newBuffer(shape: readonly number[], value: number, { dtype, backend }: FactoryOptions): Tensor {
  const t = zeros(shape, { dtype, backend });
  return Buffer.of(value === 0 ? t : t.add(value));
}

/** A (number | [number, ...]) option as a tuple of length n. */
export function tuple(layer: string, name: string, v: number | readonly number[], n: number): number[] {
  const out = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (out.length !== n || !out.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new ArgumentError(layer, `${name} must be an integer or ${n} integers, got ${JSON.stringify(v)}`);
  }
  return out;
}

/** JS values printed as PyTorch prints them in a module's repr (tuples as (a, b)). */
export const reprValue = (v: unknown): string =>
  Array.isArray(v) ? `(${v.join(', ')}${v.length === 1 ? ',' : ''})` : typeof v === 'string' ? `'${v}'` : String(v);

/** `key=value, ...` for extraRepr. */
export const reprFields = (fields: Record<string, unknown>): string =>
  Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${reprValue(v)}`).join(', ');
