import { ArgumentError, ShapeError, fmtShape } from './errors.js';

export type Shape = readonly number[];

export const numel = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** A shape, or one size for a 1-d tensor (what creation functions accept). */
export type ShapeArg = number | readonly number[];
/** The shape as an array; anything else goes on to checkAllocation, which names it. */
export const shapeOf = (s: ShapeArg): number[] => (typeof s === 'number' ? [s] : Array.isArray(s) ? [...s] : (s as number[]));

/** The most elements one tensor may hold: V8's typed arrays and JS arrays both stop near 2³². */
export const MAX_NUMEL = 2 ** 32 - 1;

/** A value as an error message shows it: `string '1'`, `null`, `object [[1]]`, `3`. */
export function fmtValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `string '${v}'`;
  let text: string;
  try { text = JSON.stringify(v) ?? String(v); } catch { text = String(v); }
  return `${typeof v} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** Throws a ShapeError unless every size is a non-negative integer (NaN, -1 and 2.5 are not sizes). */
export function checkSizes(op: string, shape: readonly unknown[]): void {
  if (!Array.isArray(shape)) throw new ShapeError(op, `expected a shape (an array of sizes), got ${fmtValue(shape)}`);
  const bad = shape.findIndex((s) => typeof s !== 'number' || !Number.isInteger(s) || s < 0);
  if (bad >= 0) throw new ShapeError(op, `sizes must be non-negative integers, got ${fmtShape(shape as number[])} (${fmtValue(shape[bad])} at dim ${bad})`);
}

/** checkSizes, then that a dense buffer of `shape` fits one typed array: call before any allocation. */
export function checkAllocation(op: string, shape: readonly unknown[]): void {
  checkSizes(op, shape);
  const n = numel(shape as Shape);
  if (n > MAX_NUMEL) {
    throw new ShapeError(op, `shape ${fmtShape(shape as Shape)} has ${n} elements, more than the ${MAX_NUMEL} one typed array can hold`);
  }
}

/** Row-major (C-order) strides of a dense tensor. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

/** NumPy broadcasting: align from the right; each pair of sizes must be equal or one of them 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new ShapeError(op, `shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast: size ${out[o]} vs ${d} at dim ${o - ndim} (expected equal sizes or 1)`);
    }
  }
  return out;
}

/** Normalises a possibly negative axis into [0, ndim), or throws naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (typeof axis !== 'number') throw new ArgumentError(op, `expected an integer dim, got ${fmtValue(axis)}`);
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(axis) || axis < lo || axis > hi) {
    throw new ShapeError(op, `dim ${axis} is out of range for a tensor of ${ndim} dims (expected an integer in [${lo}, ${hi}])`);
  }
  return axis < 0 ? axis + Math.max(ndim, 1) : axis;
}

/** Normalised, sorted, de-duplicated axes; undefined means all axes. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return [...Array(ndim).keys()];
  if (typeof axes !== 'number' && !Array.isArray(axes)) throw new ArgumentError(op, `expected a dim or an array of dims, got ${fmtValue(axes)}`);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length) throw new ShapeError(op, `dims [${list.join(', ')}] repeat an axis`);
  if (ndim === 0) return [];
  return out.sort((a, b) => a - b);
}

export const shapesEqual = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
