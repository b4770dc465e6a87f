/**
 * float32 matmul on the WebAssembly SIMD kernel (wasm/kernels.wat: packB + gemm), one batch entry
 * at a time. A and B are copied into the arena as the spans their views cover, so a transposed
 * operand (what backward passes hand over) is read through its strides with no extra copy: gemm
 * reads A through (sam, sak), packB reads B through (sbk, sbn). C comes back with rows padded to a
 * multiple of 8 columns and is copied out row by row when N is not.
 */
import type { CpuView } from '../kernels/strided.js';
import { type Config, threadsFor } from './config.js';
import { arena, kernels, layout } from './runtime.js';
import { chunks, parallel } from './threads.js';

const KC = 256; // a packed panel of B is KC×8 floats = 8 KiB: stays in L1 across a block of A's rows
const MC = 128; // a block of A is MC×KC floats = 128 KiB: stays in L2

/** Offset range [lo, hi] a 2-d view of shape (R, C) with strides (s0, s1) touches from `off`. */
function span(off: number, R: number, C: number, s0: number, s1: number): [number, number] {
  const hi = off + (R - 1) * Math.max(s0, 0) + (C - 1) * Math.max(s1, 0);
  const lo = off + (R - 1) * Math.min(s0, 0) + (C - 1) * Math.min(s1, 0);
  return [lo, hi];
}

/**
 * out[t·M·N …] = A_t · B_t for each batch entry; `offsets` gives each entry's (aOff, bOff).
 * Returns false (nothing done) when an operand's span is too sparse to copy as is; the caller then
 * takes the TypeScript path.
 */
export function wasmMatmul(a: CpuView, b: CpuView, offsets: [number, number][], M: number, K: number, N: number, out: Float32Array, cfg: Config): boolean {
  const nd = a.shape.length;
  const [sam, sak] = [a.strides[nd - 2], a.strides[nd - 1]];
  const [sbk, sbn] = [b.strides[nd - 2], b.strides[nd - 1]];
  const spans = offsets.map(([ao, bo]) => [span(ao, M, K, sam, sak), span(bo, K, N, sbk, sbn)]);
  const aLen = spans[0][0][1] - spans[0][0][0] + 1;
  const bLen = spans[0][1][1] - spans[0][1][0] + 1;
  if (aLen > 2 * M * K + 64 || bLen > 2 * K * N + 64) return false;

  const N8 = Math.ceil(N / 8) * 8;
  const [pa, pb, pp, pc] = layout(aLen, bLen, K * N8, M * N8);
  const heap = arena(pc + M * N8 * 4);
  const k = kernels();
  const threads = Math.min(threadsFor(cfg, M * N * K), Math.ceil(M / 4));
  const rows = chunks(M, threads, 4);
  let packedFrom = -1; // consecutive batch entries often share B (broadcast weights): pack it once
  for (let t = 0; t < offsets.length; t++) {
    const [[alo, ahi], [blo, bhi]] = spans[t];
    heap.set((a.buffer as Float32Array).subarray(alo, ahi + 1), pa / 4);
    if (packedFrom !== blo) {
      heap.set((b.buffer as Float32Array).subarray(blo, bhi + 1), pb / 4);
      k.packB(pb + (offsets[t][1] - blo) * 4, sbk, sbn, K, N, KC, pp);
      packedFrom = blo;
    }
    const aAt = pa + (offsets[t][0] - alo) * 4;
    parallel('gemm', rows.map(([m0, m1]) => [aAt, sam, sak, pp, pc, m0, m1, K, N8, KC, MC]), threads);
    const base = t * M * N;
    if (N8 === N) out.set(heap.subarray(pc / 4, pc / 4 + M * N), base);
    else for (let i = 0; i < M; i++) out.set(heap.subarray(pc / 4 + i * N8, pc / 4 + i * N8 + N), base + i * N);
  }
  return true;
}

/** Whether a float32 matmul of this size takes the WebAssembly path. */
export const useWasmMatmul = (cfg: Config, dtype: string, M: number, K: number, N: number): boolean =>
  cfg.wasm && dtype === 'float32' && M * N * K >= cfg.minWasmMatmul;
