/**
 * Fused softmax-family kernels along one axis, max-shifted so logits of ±1e4 stay finite:
 * lse = m + log Σ exp(x − m) with m = max x. Computed in float64, rounded once into the dtype.
 * Non-finite lines follow the arithmetic (as PyTorch does):
 * - all entries −∞ (or an empty line): logsumexp = −∞, softmax and logSoftmax = NaN;
 * - any entry +∞: logsumexp = +∞, softmax = NaN; logSoftmax = −∞ at finite entries, NaN at +∞;
 * - any NaN: NaN.
 */
import { arrayFor, asLine, isDense, lines, numel, type DType, type TypedArray } from '@graft/core/backend-kit';
import { contiguous } from './elementwise.js';
import type { CpuView } from './strided.js';
import type { Config } from '../wasm/config.js';
import { type SoftmaxMode as Mode, wasmSoftmax } from '../wasm/elementwise.js';

function alongAxis(mode: Mode, x0: CpuView, axis: number, cfg?: Config): TypedArray {
  const x = asLine(x0);
  const dense = isDense(x);
  const data = dense ? x.buffer : contiguous(x);
  const base = dense ? x.offset : 0;
  const { outer, len, inner } = lines(x.shape, axis);
  const dtype: DType = x.dtype;
  // Rows along the last axis of float32: the SIMD kernel; it hands rows with a ±∞/NaN max back here.
  if (cfg && inner === 1 && dtype === 'float32') {
    const fast = wasmSoftmax(mode, data as Float32Array, base, outer, len, cfg, (row, out) => lineInto(mode, data, base + row * len, row * len, row, len, 1, out, new Float64Array(len)));
    if (fast) return fast;
  }
  const out = arrayFor(dtype, mode === 'logsumexp' ? outer * inner : numel(x.shape));
  const e = new Float64Array(len); // exp(x − m) of the current line, kept in float64 for softmax
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      lineInto(mode, data, base + start, start, o * inner + i, len, inner, out, e);
    }
  }
  return out;
}

/**
 * One line: its elements are data[p + k·inner]; its logsumexp goes to out[line], its softmax or
 * logSoftmax to out[start + k·inner]. `e` is float64 scratch of at least `len`.
 */
function lineInto(mode: Mode, data: TypedArray, p: number, start: number, line: number, len: number, inner: number, out: TypedArray, e: Float64Array): void {
  let m = -Infinity;
  for (let k = 0; k < len; k++) {
    const v = data[p + k * inner];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  // For m = ±∞ or NaN, shifting would give ∞ − ∞; the answer is m itself.
  const finite = m - m === 0;
  let s = 0;
  for (let k = 0; k < len; k++) s += e[k] = Math.exp(data[p + k * inner] - m);
  const lse = finite ? m + Math.log(s) : m;
  if (mode === 'logsumexp') out[line] = lse;
  else if (mode === 'logSoftmax') for (let k = 0; k < len; k++) out[start + k * inner] = data[p + k * inner] - lse;
  else for (let k = 0; k < len; k++) out[start + k * inner] = e[k] / s;
}

export const logsumexp = (x: CpuView, axis: number, cfg?: Config): TypedArray => alongAxis('logsumexp', x, axis, cfg);
export const softmax = (x: CpuView, axis: number, cfg?: Config): TypedArray => alongAxis('softmax', x, axis, cfg);
export const logSoftmax = (x: CpuView, axis: number, cfg?: Config): TypedArray => alongAxis('logSoftmax', x, axis, cfg);
