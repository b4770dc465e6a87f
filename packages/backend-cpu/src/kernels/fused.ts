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
import { type CpuView, uninit } from './strided.js';
import type { Config } from '../wasm/config.js';
import { type SoftmaxMode as Mode, wasmCeGrad, wasmRowStats, wasmSoftmax } from '../wasm/elementwise.js';

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

// ---- softmax cross-entropy (class-index targets) --------------------------------------------------
// x [N, C] along rows; target, lse and g are 1-d views of any stride (g is often a broadcast scalar).

const at = (v: CpuView, i: number): number => v.buffer[v.offset + i * v.strides[0]];
const dense2d = (x: CpuView): [TypedArray, number] => (isDense(x) ? [x.buffer, x.offset] : [contiguous(x), 0]);

/**
 * Per row: lse = m + log Σ exp(x − m) and loss = (m − x[t]) + log Σ exp(x − m) (0 where t =
 * ignoreIndex), in float64 and rounded once. m and the sum come from the SIMD kernel for float32
 * rows whose max is finite; a row of max ±∞ or NaN gives lse = m, as logsumexp does.
 */
export function crossEntropy(x: CpuView, target: CpuView, ignoreIndex: number, cfg?: Config): { loss: TypedArray; lse: TypedArray } {
  const [rows, len] = x.shape;
  const [data, base] = dense2d(x);
  const stats = cfg && x.dtype === 'float32' ? wasmRowStats(data as Float32Array, base, rows, len, cfg) : null;
  const loss = arrayFor(x.dtype, rows);
  const lse = arrayFor(x.dtype, rows);
  for (let r = 0; r < rows; r++) {
    const p = base + r * len;
    let m = stats ? stats[2 * r] : -Infinity;
    let s = stats ? stats[2 * r + 1] : 0;
    if (!stats || m - m !== 0) {
      m = -Infinity;
      for (let c = 0; c < len; c++) { const v = data[p + c]; if (v > m || v !== v) m = v; if (m !== m) break; }
      s = 0;
      if (m - m === 0) for (let c = 0; c < len; c++) s += Math.exp(data[p + c] - m);
    }
    const finite = m - m === 0;
    const logS = finite ? Math.log(s) : 0;
    lse[r] = m + logS;
    const t = at(target, r);
    loss[r] = t === ignoreIndex ? 0 : (m - data[p + t]) + logS;
  }
  return { loss, lse };
}

/**
 * out[r, c] = (exp(x[r, c] − lse_r) − [c = t_r])·g_r; rows with t = ignoreIndex take g = 0, rows of
 * non-finite lse are NaN (softmax is NaN there). The target entry is recomputed in float64 as
 * (exp(x_t − lse) − 1)·g, so a confident row does not lose its small gradient to cancellation.
 */
export function crossEntropyBackward(x: CpuView, lse: CpuView, target: CpuView, g: CpuView, ignoreIndex: number, cfg?: Config): TypedArray {
  const [rows, len] = x.shape;
  const [data, base] = dense2d(x);
  const gr = new Float64Array(rows);
  for (let r = 0; r < rows; r++) gr[r] = at(target, r) === ignoreIndex ? 0 : at(g, r);
  let out: TypedArray | null = null;
  if (cfg && x.dtype === 'float32') {
    const k = new Float32Array(2 * rows);
    for (let r = 0; r < rows; r++) { k[2 * r] = at(lse, r); k[2 * r + 1] = gr[r]; }
    out = wasmCeGrad(data as Float32Array, base, rows, len, k, cfg);
  }
  const simd = out !== null;
  out ??= uninit(x.dtype, rows * len);
  for (let r = 0; r < rows; r++) {
    const l = at(lse, r);
    const [p, q] = [base + r * len, r * len];
    if (l - l !== 0) { out.fill(NaN, q, q + len); continue; }
    if (!simd) for (let c = 0; c < len; c++) out[q + c] = Math.exp(data[p + c] - l) * gr[r];
    const t = at(target, r);
    if (t !== ignoreIndex) out[q + t] = (Math.exp(data[p + t] - l) - 1) * gr[r];
  }
  return out;
}
