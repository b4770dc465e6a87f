/**
 * The CPU's buffer type and its typed-array plumbing. The view helpers every backend needs
 * (coalescing dims, line iteration, asLine, permuteView) come from `@graft/core/backend-kit`.
 */
import { arrayFor, type DType, type TypedArray, type View } from '@graft/core/backend-kit';

/** CPU storage is a plain typed array (bool: Uint8Array holding 0/1). */
export type CpuBuffer = TypedArray;
export type CpuView = View<CpuBuffer>;

/** A new buffer of `dtype` holding a float64 accumulator, converted once (bool: `!= 0`). */
export function fromFloat64(acc: Float64Array, dtype: DType): TypedArray {
  const out = arrayFor(dtype, acc.length);
  if (dtype === 'bool') for (let i = 0; i < acc.length; i++) out[i] = acc[i] !== 0 ? 1 : 0;
  else out.set(acc); // typed-array conversion: float32 rounds to nearest, int32 truncates and wraps
  return out;
}

/** Copies n elements between buffers of one dtype: `set` for long runs, a loop for short ones. */
export function copyRange(dst: TypedArray, dOff: number, src: TypedArray, sOff: number, n: number): void {
  if (n >= 32) dst.set(src.subarray(sOff, sOff + n), dOff);
  else for (let i = 0; i < n; i++) dst[dOff + i] = src[sOff + i];
}
