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

// ---- buffer pool --------------------------------------------------------------------------------
// A fresh 16 MiB typed array costs milliseconds before the first value lands in it (the OS maps
// and zeroes every page on first touch) and more again when the collector frees it. Core calls
// `dispose(buffer)` when the last tensor holding a buffer goes (t.dispose(), the end of a tidy), so
// the backend keeps large disposed buffers and hands them to the next kernel asking for the same
// dtype and length. Only kernels that overwrite every element take from the pool (`uninit`).
const POOL_MIN_BYTES = 1 << 16; // smaller arrays come cheaply from V8's young generation; a 128 KiB activation does not (7% of an MLP step)
const POOL_MAX_BYTES = 256 << 20; // what disposed buffers may hold on to, all together
const pool = new Map<string, TypedArray[]>();
let pooledBytes = 0;
let pooling = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.GRAFT_CPU_POOL !== '0';

const elementBytes: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const poolKey = (a: TypedArray): string => `${a.constructor.name}:${a.length}`;

/** A buffer of `dtype` and length `n` whose contents are arbitrary: the caller writes every element. */
export function uninit(dtype: DType, n: number): TypedArray {
  if (pooling && n * elementBytes[dtype] >= POOL_MIN_BYTES) {
    const free = pool.get(`${arrayFor(dtype, 0).constructor.name}:${n}`);
    const a = free?.pop();
    if (a) { pooledBytes -= a.byteLength; return a; }
  }
  return arrayFor(dtype, n);
}

/** Takes a disposed buffer back for reuse (the backend's `dispose`). */
export function release(a: TypedArray): void {
  if (!pooling || a.byteLength < POOL_MIN_BYTES || pooledBytes + a.byteLength > POOL_MAX_BYTES) return;
  const key = poolKey(a);
  const free = pool.get(key) ?? [];
  if (free.includes(a)) throw new Error('backend-cpu: a buffer was disposed twice');
  free.push(a);
  pool.set(key, free);
  pooledBytes += a.byteLength;
}

/** Turns pooling on or off (off also empties the pool). */
export function setBufferPool(on: boolean): void {
  pooling = on;
  if (!on) { pool.clear(); pooledBytes = 0; }
}
