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
import { arena, layout, parallel, split } from './runtime.js';

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
  const parts = split(n4, threadsFor(cfg, n * ELEMENT_WORK), 4);
  parallel('unary', parts.map(([s, e]) => [index, px + s * 4, po + s * 4, e - s]));
  const out = uninit('float32', n) as Float32Array;
  out.set(heap.subarray(po / 4, po / 4 + n));
  return out;
}

const binaryIndex: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };
const isScalar = (x: CpuView): boolean => x.strides.every((st) => st === 0);

/** out = a op b for float32 operands each dense or one broadcast value, or null when not the kernel's. */
export function wasmBinary(op: BinaryOp, a: CpuView, b: CpuView, cfg: Config): Float32Array | null {
  const index = binaryIndex[op];
  const n = numel(a.shape);
  if (index === undefined || !cfg.wasm || a.dtype !== 'float32' || n === 0 || n < cfg.minWasmElements) return null;
  const [as, bs] = [isScalar(a), isScalar(b)];
  if (!(as || isDense(a)) || !(bs || isDense(b))) return null;
  const n4 = Math.ceil(n / 4) * 4;
  const [pa, pb, po] = layout(as ? 4 : n4, bs ? 4 : n4, n4);
  const heap = arena(po - pa + n4 * 4 + 16);
  for (const [x, scalar, p] of [[a, as, pa], [b, bs, pb]] as const) {
    if (scalar) heap.fill(x.buffer[x.offset], p / 4, p / 4 + 4); // four copies, read with step 0
    else heap.set((x.buffer as Float32Array).subarray(x.offset, x.offset + n), p / 4);
  }
  const parts = split(n4, threadsFor(cfg, n), 4);
  parallel('binary', parts.map(([s, e]) => [index, as ? pa : pa + s * 4, as ? 0 : 16, bs ? pb : pb + s * 4, bs ? 0 : 16, po + s * 4, e - s]));
  const out = uninit('float32', n) as Float32Array;
  out.set(heap.subarray(po / 4, po / 4 + n));
  return out;
}

export type SoftmaxMode = 'logsumexp' | 'softmax' | 'logSoftmax';

/**
 * The softmax family along the last axis of a dense float32 [rows, len] block at `offset`, or
 * null when the kernel does not apply. Rows whose max is ±∞ or NaN are left to `fixRow` (the
 * TypeScript kernel), so the special values follow the documented rules exactly.
 */
export function wasmSoftmax(
  mode: SoftmaxMode, data: Float32Array, offset: number, rows: number, len: number, cfg: Config,
  fixRow: (row: number, out: Float32Array) => void,
): Float32Array | null {
  if (!cfg.wasm || rows * len === 0 || rows * len < cfg.minWasmElements) return null;
  const len4 = Math.ceil(len / 4) * 4;
  const [px, pe, ps] = layout(rows * len4, rows * len4, 2 * rows);
  const heap = arena(ps - px + rows * 8 + 16);
  if (len4 === len) heap.set(data.subarray(offset, offset + rows * len), px / 4);
  else {
    for (let r = 0; r < rows; r++) {
      const at = px / 4 + r * len4;
      heap.set(data.subarray(offset + r * len, offset + (r + 1) * len), at);
      heap.fill(-Infinity, at + len, at + len4); // exp(−∞ − m) = 0: padding adds nothing
    }
  }
  const parts = split(rows, threadsFor(cfg, rows * len * ELEMENT_WORK), 1);
  parallel('softmaxStats', parts.map(([r0, r1]) => [px + r0 * len4 * 4, pe + r0 * len4 * 4, ps + r0 * 8, r1 - r0, len4]));

  // Per row: m = stats[2r], s = stats[2r + 1]. The one log per row is taken here (wasm has none),
  // in float64; the finishing pass reads the pair back rewritten as (m, 1/s) or (m, log s).
  const stats = ps / 4;
  const bad: number[] = [];
  const lse = mode === 'logsumexp' ? new Float32Array(rows) : null;
  for (let r = 0; r < rows; r++) {
    const m = heap[stats + 2 * r];
    if (m - m !== 0) bad.push(r); // ±∞ or NaN
    const s = heap[stats + 2 * r + 1];
    if (lse) lse[r] = m + Math.log(s);
    else heap[stats + 2 * r + 1] = mode === 'softmax' ? 1 / s : Math.log(s);
  }
  let out: Float32Array;
  if (lse) out = lse;
  else {
    parallel('softmaxFinish', parts.map(([r0, r1]) =>
      [mode === 'softmax' ? 0 : 1, px + r0 * len4 * 4, pe + r0 * len4 * 4, ps + r0 * 8, r1 - r0, len4]));
    out = uninit('float32', rows * len) as Float32Array;
    if (len4 === len) out.set(heap.subarray(pe / 4, pe / 4 + rows * len));
    else {
      for (let r = 0; r < rows; r++) out.set(heap.subarray(pe / 4 + r * len4, pe / 4 + r * len4 + len), r * len);
    }
  }
  for (const r of bad) fixRow(r, out);
  return out;
}
