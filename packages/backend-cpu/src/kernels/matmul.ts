/**
 * Batched matmul: a [...batch, M, K] @ b [...batch, K, N] → [...batch, M, N], where batch strides
 * may be 0 (broadcast).
 *
 * Float kernel: i-k-j order, so the innermost loop streams one row of B and one row of a float64
 * accumulator C. B must therefore be row-contiguous (its last stride 1); otherwise it is copied
 * dense once (and the copy reused while consecutive batches share the same B, e.g. broadcast
 * weights). The loops are tiled over k and j so the B panel being streamed stays in cache, and
 * unrolled by four k's and two rows of A, so each load of B feeds eight multiply-adds and each
 * accumulator load/store four. C is accumulated in float64 and rounded once into the output.
 * int32 uses a separate, simple wrapping kernel (Math.imul).
 */
import { numel, type TypedArray } from '@graft/core/backend-kit';
import { contiguous } from './elementwise.js';
import { fromFloat64, type CpuView, uninit } from './strided.js';
import { perDtype } from './specialize.js';
import type { Config } from '../wasm/config.js';
import { useWasmMatmul, wasmMatmul } from '../wasm/matmul.js';

/**
 * C[i, j] += Σ_k A[aOff + i·sam + k·sak] · B[bOff + k·sbk + j] over the whole M×K×N problem;
 * C is a dense M×N float64 block starting at 0.
 */
function gemmFloat(
  A: TypedArray, aOff: number, sam: number, sak: number,
  B: TypedArray, bOff: number, sbk: number,
  C: Float64Array, M: number, K: number, N: number,
): void {
  const K_TILE = 128; // 128 rows of B (≤ 256 KiB of float32 at N = 512) stay in L2 across all i
  const N_TILE = 512;
  for (let k0 = 0; k0 < K; k0 += K_TILE) {
    const k1 = Math.min(K, k0 + K_TILE);
    for (let j0 = 0; j0 < N; j0 += N_TILE) {
      const j1 = Math.min(N, j0 + N_TILE);
      let i = 0;
      // Two rows of A at a time: each B element loaded once feeds both rows.
      for (; i + 1 < M; i += 2) {
        const c0 = i * N;
        const c1 = c0 + N;
        const ar0 = aOff + i * sam;
        const ar1 = ar0 + sam;
        let k = k0;
        for (; k + 3 < k1; k += 4) {
          const ka = k * sak;
          const x0 = A[ar0 + ka], x1 = A[ar0 + ka + sak], x2 = A[ar0 + ka + 2 * sak], x3 = A[ar0 + ka + 3 * sak];
          const y0 = A[ar1 + ka], y1 = A[ar1 + ka + sak], y2 = A[ar1 + ka + 2 * sak], y3 = A[ar1 + ka + 3 * sak];
          const b0 = bOff + k * sbk, b1 = b0 + sbk, b2 = b1 + sbk, b3 = b2 + sbk;
          for (let j = j0; j < j1; j++) {
            const v0 = B[b0 + j], v1 = B[b1 + j], v2 = B[b2 + j], v3 = B[b3 + j];
            C[c0 + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
            C[c1 + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
          }
        }
        for (; k < k1; k++) {
          const x0 = A[ar0 + k * sak], y0 = A[ar1 + k * sak];
          const b0 = bOff + k * sbk;
          for (let j = j0; j < j1; j++) {
            const v0 = B[b0 + j];
            C[c0 + j] += x0 * v0;
            C[c1 + j] += y0 * v0;
          }
        }
      }
      if (i < M) {
        const c0 = i * N;
        const ar0 = aOff + i * sam;
        for (let k = k0; k < k1; k++) {
          const x0 = A[ar0 + k * sak];
          const b0 = bOff + k * sbk;
          for (let j = j0; j < j1; j++) C[c0 + j] += x0 * B[b0 + j];
        }
      }
    }
  }
}

const gemmFloatFor = perDtype(gemmFloat);

/** int32 matmul, wrapping like C int32 at every step. */
function gemmInt(
  A: TypedArray, aOff: number, sam: number, sak: number,
  B: TypedArray, bOff: number, sbk: number,
  C: Int32Array, cOff: number, M: number, K: number, N: number,
): void {
  for (let i = 0; i < M; i++) {
    const c = cOff + i * N;
    for (let k = 0; k < K; k++) {
      const x = A[aOff + i * sam + k * sak];
      const b = bOff + k * sbk;
      for (let j = 0; j < N; j++) C[c + j] = (C[c + j] + Math.imul(x, B[b + j])) | 0;
    }
  }
}

export function matmul(a: CpuView, b: CpuView, cfg?: Config): TypedArray {
  const nd = a.shape.length;
  const M = a.shape[nd - 2];
  const K = a.shape[nd - 1];
  const N = b.shape[nd - 1];
  const batchShape = a.shape.slice(0, nd - 2);
  const batches = numel(batchShape);
  const mn = M * N;
  const dtype = a.dtype;
  const int = dtype === 'int32';
  if (batches * mn === 0 || K === 0) return int ? new Int32Array(batches * mn) : fromFloat64(new Float64Array(batches * mn), dtype);

  if (cfg && useWasmMatmul(cfg, dtype, M, K, N)) {
    const out = uninit('float32', batches * mn) as Float32Array; // wasmMatmul writes every element
    if (wasmMatmul(a, b, batchOffsets(a, b, batchShape), M, K, N, out, cfg)) return out;
  }

  const sam = a.strides[nd - 2];
  const sak = a.strides[nd - 1];
  // B rows must be contiguous (last stride 1) for the inner loop; N = 1 makes any stride fine.
  const bRowContiguous = b.strides[nd - 1] === 1 || N === 1;
  const out = int ? new Int32Array(batches * mn) : new Float64Array(batches * mn);
  let panel: TypedArray = b.buffer;
  let panelOf = -1; // which b offset `panel` holds when it is a copy

  const idx = new Array<number>(batchShape.length).fill(0);
  for (let t = 0; t < batches; t++) {
    let aOff = a.offset;
    let bOff = b.offset;
    for (let d = 0; d < idx.length; d++) {
      aOff += idx[d] * a.strides[d];
      bOff += idx[d] * b.strides[d];
    }
    let B: TypedArray = b.buffer;
    let pOff = bOff;
    let sbk = b.strides[nd - 2];
    if (!bRowContiguous) {
      if (panelOf !== bOff) {
        panel = contiguous({ buffer: b.buffer, dtype, shape: [K, N], strides: b.strides.slice(nd - 2), offset: bOff });
        panelOf = bOff;
      }
      B = panel;
      pOff = 0;
      sbk = N;
    }
    if (int) gemmInt(a.buffer, aOff, sam, sak, B, pOff, sbk, out as Int32Array, t * mn, M, K, N);
    else gemmFloatFor(dtype)(a.buffer, aOff, sam, sak, B, pOff, sbk, (out as Float64Array).subarray(t * mn, (t + 1) * mn), M, K, N);
    for (let d = idx.length - 1; d >= 0 && ++idx[d] === batchShape[d]; d--) idx[d] = 0;
  }
  if (int) return out;
  return dtype === 'float64' ? out : fromFloat64(out as Float64Array, dtype);
}

/** (a offset, b offset) of each batch entry, in row-major batch order. */
function batchOffsets(a: CpuView, b: CpuView, batchShape: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  const idx = new Array<number>(batchShape.length).fill(0);
  for (let t = 0, n = numel(batchShape); t < n; t++) {
    let [ao, bo] = [a.offset, b.offset];
    for (let d = 0; d < idx.length; d++) { ao += idx[d] * a.strides[d]; bo += idx[d] * b.strides[d]; }
    out.push([ao, bo]);
    for (let d = idx.length - 1; d >= 0 && ++idx[d] === batchShape[d]; d--) idx[d] = 0;
  }
  return out;
}
