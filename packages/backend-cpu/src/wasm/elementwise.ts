/**
 * float32 elementwise kernels and the softmax family on WebAssembly SIMD: exp / tanh / sigmoid
 * (whose scalar form is a Math call per element, tens of ns each) and + − × ÷ of dense operands or
 * a broadcast scalar (the generated TypeScript loop pays a float32↔float64 conversion and a bounds
 * check per element; copying through the arena and four lanes at a time is cheaper from a few
 * thousand elements up). Other layouts and dtypes stay in the TypeScript kernels.
 */
import { isDense, numel, type BinaryOp, type UnaryOp } from '@graft/core/backend-kit';
import { type CpuView, uninit } from '../kernels/strided.js';
import { type Config, threadsFor } from './config.js';
import { arena, kernels, layout } from './runtime.js';
import { chunks, parallel } from './threads.js';

/** The unary ops the kernel implements, by its op index. */
const unaryIndex: Partial<Record<UnaryOp, number>> = { exp: 0, tanh: 1, sigmoid: 2 };

// A polynomial element costs roughly 16 multiply-adds of matmul work: the thread threshold's unit.
const ELEMENT_WORK = 16;

/** Whether op(x) takes the kernel: float32, one of its ops, large enough. */
export function wasmUnary(op: UnaryOp, x: CpuView, cfg: Config): boolean {
  const n = numel(x.shape);
  return unaryIndex[op] !== undefined && cfg.wasm && x.dtype === 'float32' && n > 0 && n >= cfg.minWasmElements;
}

/** out = op(x) for a dense float32 view that `wasmUnary` accepted. */
export function runWasmUnary(op: UnaryOp, x: CpuView, cfg: Config): Float32Array {
  const n = numel(x.shape);
  const index = unaryIndex[op]!;
  const n4 = Math.ceil(n / 4) * 4; // the kernel works in whole f32x4; the padding is ignored
  const [px, po] = layout(n4, n4);
  const heap = arena(po - px + n4 * 4 + 16);
  heap.set((x.buffer as Float32Array).subarray(x.offset, x.offset + n), px / 4);
  const threads = threadsFor(cfg, n * ELEMENT_WORK);
  parallel('unary', chunks(n4, threads, 4).map(([s, e]) => [index, px + s * 4, po + s * 4, e - s]), threads);
  const out = uninit('float32', n) as Float32Array;
  out.set(heap.subarray(po / 4, po / 4 + n));
  return out;
}

const binaryIndex: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };
const isScalar = (x: CpuView): boolean => x.strides.every((st) => st === 0);

// Floats per block of the streamed kernels: 64 KiB per operand, so the arena side of every copy
// stays in cache.
const BLOCK = 1 << 14;

/**
 * out = a op b for float32 operands each dense or one broadcast value, or null when not the
 * kernel's. One operation per element makes this memory-bound, so it streams blocks through a small
 * arena region on the calling thread: each operand is read from memory once and the result written
 * once, where copying whole operands in and the result out would pass over every byte three times
 * (and a second thread would only wait on the same memory).
 */
export function wasmBinary(op: BinaryOp, a: CpuView, b: CpuView, cfg: Config): Float32Array | null {
  const index = binaryIndex[op];
  const n = numel(a.shape);
  if (index === undefined || !cfg.wasm || a.dtype !== 'float32' || n === 0 || n < cfg.minWasmElements) return null;
  const [as, bs] = [isScalar(a), isScalar(b)];
  if (!(as || isDense(a)) || !(bs || isDense(b))) return null;
  const [pa, pb, po] = layout(as ? 4 : BLOCK, bs ? 4 : BLOCK, BLOCK);
  const heap = arena(po - pa + BLOCK * 4 + 16);
  const k = kernels();
  if (as) heap.fill(a.buffer[a.offset], pa / 4, pa / 4 + 4); // four copies, read with step 0
  if (bs) heap.fill(b.buffer[b.offset], pb / 4, pb / 4 + 4);
  const out = uninit('float32', n) as Float32Array;
  for (let s = 0; s < n; s += BLOCK) {
    const m = Math.min(BLOCK, n - s);
    if (!as) heap.set((a.buffer as Float32Array).subarray(a.offset + s, a.offset + s + m), pa / 4);
    if (!bs) heap.set((b.buffer as Float32Array).subarray(b.offset + s, b.offset + s + m), pb / 4);
    k.binary(index, pa, as ? 0 : 16, pb, bs ? 0 : 16, po, Math.ceil(m / 4) * 4); // a last partial f32x4 reads stale lanes, never stored
    out.set(heap.subarray(po / 4, po / 4 + m), s);
  }
  return out;
}

export type SoftmaxMode = 'logsumexp' | 'softmax' | 'logSoftmax';

/** Copies a dense float32 [rows, len] block into the arena at byte `px`, rows padded with `pad` to len4. */
function rowsIn(heap: Float32Array, px: number, data: Float32Array, offset: number, rows: number, len: number, len4: number, pad: number): void {
  if (len4 === len) { heap.set(data.subarray(offset, offset + rows * len), px / 4); return; }
  for (let r = 0; r < rows; r++) {
    const at = px / 4 + r * len4;
    heap.set(data.subarray(offset + r * len, offset + (r + 1) * len), at);
    heap.fill(pad, at + len, at + len4);
  }
}

/** Copies the arena's [rows, len4] block at byte `po` out into a fresh dense float32 [rows·len], dropping the padding. */
function rowsOut(heap: Float32Array, po: number, rows: number, len: number, len4: number): Float32Array {
  const out = uninit('float32', rows * len) as Float32Array;
  if (len4 === len) out.set(heap.subarray(po / 4, po / 4 + rows * len));
  else for (let r = 0; r < rows; r++) out.set(heap.subarray(po / 4 + r * len4, po / 4 + r * len4 + len), r * len);
  return out;
}

/** Whether a float32 [rows, len] softmax-family kernel takes the WebAssembly path. */
const wasmRows = (rows: number, len: number, cfg: Config): boolean => cfg.wasm && rows * len > 0 && rows * len >= cfg.minWasmElements;

/**
 * Per row of a dense float32 [rows, len] block at `offset`: m = max and s = Σ exp(x − m), as pairs
 * [m0, s0, m1, s1, …], or null when the kernel does not apply. s is meaningless where m is not
 * finite (the caller handles those rows).
 */
export function wasmRowStats(data: Float32Array, offset: number, rows: number, len: number, cfg: Config): Float32Array | null {
  if (!wasmRows(rows, len, cfg)) return null;
  const len4 = Math.ceil(len / 4) * 4;
  const [px, ps] = layout(rows * len4, 2 * rows);
  const heap = arena(ps - px + rows * 8 + 16);
  rowsIn(heap, px, data, offset, rows, len, len4, -Infinity); // exp(−∞ − m) = 0: padding adds nothing
  const threads = threadsFor(cfg, rows * len * ELEMENT_WORK);
  parallel('rowStats', chunks(rows, threads, 1).map(([r0, r1]) => [px + r0 * len4 * 4, ps + r0 * 8, r1 - r0, len4]), threads);
  return heap.slice(ps / 4, ps / 4 + 2 * rows);
}

/**
 * out[r, c] = exp(x[r, c] − k[2r])·k[2r + 1] for a dense float32 [rows, len] block at `offset`
 * (cross-entropy's gradient before the onehot), into a fresh float32 [rows·len]; null when the
 * kernel does not apply.
 */
export function wasmCeGrad(data: Float32Array, offset: number, rows: number, len: number, k: Float32Array, cfg: Config): Float32Array | null {
  if (!wasmRows(rows, len, cfg)) return null;
  const len4 = Math.ceil(len / 4) * 4;
  const [px, po, pk] = layout(rows * len4, rows * len4, 2 * rows);
  const heap = arena(pk - px + rows * 8 + 16);
  rowsIn(heap, px, data, offset, rows, len, len4, 0);
  heap.set(k, pk / 4);
  const threads = threadsFor(cfg, rows * len * ELEMENT_WORK);
  parallel('ceGrad', chunks(rows, threads, 1).map(([r0, r1]) => [px + r0 * len4 * 4, po + r0 * len4 * 4, pk + r0 * 8, r1 - r0, len4]), threads);
  return rowsOut(heap, po, rows, len, len4);
}

/**
 * The softmax family along the last axis of a dense float32 [rows, len] block at `offset`, or
 * null when the kernel does not apply. Rows whose max is ±∞ or NaN are left to `fixRow` (the
 * TypeScript kernel), so the special values follow the documented rules exactly.
 */
export function wasmSoftmax(
  mode: SoftmaxMode, data: Float32Array, offset: number, rows: number, len: number, cfg: Config,
  fixRow: (row: number, out: Float32Array) => void,
): Float32Array | null {
  if (!wasmRows(rows, len, cfg)) return null;
  if (mode === 'logsumexp') {
    // m and s only: nothing of [rows, len] is written
    const stats = wasmRowStats(data, offset, rows, len, cfg)!;
    const lse = uninit('float32', rows) as Float32Array;
    for (let r = 0; r < rows; r++) lse[r] = stats[2 * r] + Math.log(stats[2 * r + 1]);
    for (let r = 0; r < rows; r++) if (stats[2 * r] - stats[2 * r] !== 0) fixRow(r, lse); // ±∞ or NaN max
    return lse;
  }
  const len4 = Math.ceil(len / 4) * 4;
  const [px, pe, ps] = layout(rows * len4, rows * len4, 2 * rows);
  const heap = arena(ps - px + rows * 8 + 16);
  rowsIn(heap, px, data, offset, rows, len, len4, -Infinity); // exp(−∞ − m) = 0: padding adds nothing
  const threads = threadsFor(cfg, rows * len * ELEMENT_WORK);
  const parts = chunks(rows, threads, 1);
  parallel('softmaxStats', parts.map(([r0, r1]) => [px + r0 * len4 * 4, pe + r0 * len4 * 4, ps + r0 * 8, r1 - r0, len4]), threads);

  // Per row: m = stats[2r], s = stats[2r + 1]. The one log per row is taken here (wasm has none),
  // in float64; the finishing pass reads the pair back rewritten as (m, 1/s) or (m, log s).
  const stats = ps / 4;
  const bad: number[] = [];
  for (let r = 0; r < rows; r++) {
    const m = heap[stats + 2 * r];
    if (m - m !== 0) bad.push(r); // ±∞ or NaN
    const s = heap[stats + 2 * r + 1];
    heap[stats + 2 * r + 1] = mode === 'softmax' ? 1 / s : Math.log(s);
  }
  parallel('softmaxFinish', parts.map(([r0, r1]) =>
    [mode === 'softmax' ? 0 : 1, px + r0 * len4 * 4, pe + r0 * len4 * 4, ps + r0 * 8, r1 - r0, len4]), threads);
  const out = rowsOut(heap, pe, rows, len, len4);
  for (const r of bad) fixRow(r, out);
  return out;
}
