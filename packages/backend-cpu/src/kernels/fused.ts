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

type Mode = 'logsumexp' | 'softmax' | 'logSoftmax';

function alongAxis(mode: Mode, x0: CpuView, axis: number): TypedArray {
  const x = asLine(x0);
  const dense = isDense(x);
  const data = dense ? x.buffer : contiguous(x);
  const base = dense ? x.offset : 0;
  const { outer, len, inner } = lines(x.shape, axis);
  const dtype: DType = x.dtype;
  const out = arrayFor(dtype, mode === 'logsumexp' ? outer * inner : numel(x.shape));
  const e = new Float64Array(len); // exp(x − m) of the current line, kept in float64 for softmax
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      const p = base + start;
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
      if (mode === 'logsumexp') out[o * inner + i] = lse;
      else if (mode === 'logSoftmax') for (let k = 0; k < len; k++) out[start + k * inner] = data[p + k * inner] - lse;
      else for (let k = 0; k < len; k++) out[start + k * inner] = e[k] / s;
    }
  }
  return out;
}

export const logsumexp = (x: CpuView, axis: number): TypedArray => alongAxis('logsumexp', x, axis);
export const softmax = (x: CpuView, axis: number): TypedArray => alongAxis('softmax', x, axis);
export const logSoftmax = (x: CpuView, axis: number): TypedArray => alongAxis('logSoftmax', x, axis);
