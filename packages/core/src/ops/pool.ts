/**
 * 2-d pooling on [N, C, H, W] (or unbatched [C, H, W]), PyTorch's shapes and rules, composed:
 * max pooling gathers its windows with conv2d's im2col indexSelect over a −∞-padded image and
 * takes the first max of each (so the gradient goes there, as PyTorch's); average pooling is
 * separable, so it is A_h · x · A_wᵀ with constant window matrices that carry PyTorch's divisors.
 */
import { arrayFor, isFloat } from '../dtype.js';
import { ArgumentError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { im2colIndex } from './conv.js';
import * as p from './primitives.js';
import type { ValuesIndices } from './reduce.js';

type Pair = number | [number, number];
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** A constant tensor on x's backend (window maps and weights: shape data, never x's values). */
const constant = (x: Tensor, values: ArrayLike<number>, shape: number[], dtype = x.dtype): Tensor => {
  const data = arrayFor(dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = values[i];
  return p.fromHost(x, data, shape, dtype);
};

/** PyTorch's pooling_output_shape: with ceilMode, the last window must still start inside the input or its left padding. */
function outSize(size: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((size + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

interface Geometry { k: [number, number]; s: [number, number]; p: [number, number]; dl: [number, number]; out: [number, number]; hw: [number, number] }

/** Checks options and input (PyTorch's pool2d_shape_check order) and gives the window geometry. */
function geometry(op: string, x: Tensor, kernelSize: Pair, stride: Pair | undefined, padding: Pair, dilation: Pair, ceilMode: boolean): Geometry {
  const k = pair(kernelSize);
  const s = pair(stride ?? kernelSize);
  const p = pair(padding);
  const dl = pair(dilation);
  const ints = [...k, ...s, ...p, ...dl];
  if (!ints.every(Number.isInteger)) throw new ArgumentError(op, `expected integer kernelSize, stride, padding and dilation, got ${k}, ${s}, ${p}, ${dl}`);
  if (k.some((v) => v <= 0)) throw new ArgumentError(op, `got kernelSize ${k}, expected kernel sizes greater than zero`);
  if (s.some((v) => v <= 0)) throw new ArgumentError(op, `got stride ${s}, expected strides greater than zero`);
  if (dl.some((v) => v <= 0)) throw new ArgumentError(op, `got dilation ${dl}, expected dilations greater than zero`);
  if (p.some((v, i) => v < 0 || v > Math.floor(k[i] / 2))) {
    throw new ArgumentError(op, `got padding ${p} for kernelSize ${k}, expected padding at most half of the kernel size`);
  }
  if ((x.ndim !== 3 && x.ndim !== 4) || x.shape.slice(-3).some((v) => v === 0)) {
    throw new ShapeError(op, `got input of shape ${fmtShape(x.shape)}, expected [N, C, H, W] or [C, H, W] with non-zero C, H, W`);
  }
  if (!isFloat(x.dtype)) throw new DtypeError(op, `got a ${x.dtype} input, expected a float tensor`);
  const hw: [number, number] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
  const out = [0, 1].map((i) => outSize(hw[i], k[i], p[i], s[i], dl[i], ceilMode)) as [number, number];
  if (out.some((v) => v < 1)) {
    throw new ShapeError(op, `input ${fmtShape(x.shape)} gives output size ${out.join('×')} (kernel ${k}, stride ${s}, padding ${p}, dilation ${dl}), expected an output of at least 1×1`);
  }
  return { k, s, p, dl, out, hw };
}

export interface MaxPool2dOptions {
  kernelSize: Pair;
  /** Default: kernelSize. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/**
 * PyTorch's F.max_pool2d: the max of each (dilated) window over a −∞-padded input; with
 * returnIndices, also the flat index h·W + w of that max in its input plane. The gradient goes to
 * the first max of each window in row-major order (as PyTorch's).
 */
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions & { returnIndices: true }): ValuesIndices;
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions): Tensor;
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions): Tensor | ValuesIndices {
  const { kernelSize, stride, padding = 0, dilation = 1, ceilMode = false, returnIndices = false } = opts;
  const { k, s, p, dl, out, hw } = geometry('maxPool2d', x, kernelSize, stride, padding, dilation, ceilMode);
  if (x.ndim === 3) {
    const r = maxPool2d(x.unsqueeze(0), { ...opts, returnIndices: true });
    return returnIndices ? { values: r.values.squeeze(0), indices: r.indices.squeeze(0) } : r.values.squeeze(0);
  }
  const [n, c] = x.shape;
  // With ceilMode the last window may run past the right padding: pad (with −∞) as far as windows reach.
  const reach = [0, 1].map((i) => (out[i] - 1) * s[i] + dl[i] * (k[i] - 1) + 1);
  const after = [0, 1].map((i) => Math.max(0, reach[i] - hw[i] - p[i]));
  const [hp, wp] = [0, 1].map((i) => p[i] + hw[i] + after[i]);
  const kk = k[0] * k[1];
  const l = out[0] * out[1];
  const slots = im2colIndex(wp, k[0], k[1], out[0], out[1], s, dl);
  const cols = x.pad([p[1], after[1], p[0], after[0]], -Infinity).reshape([n, c, hp * wp])
    .indexSelect(2, constant(x, slots, [kk * l], 'int32')).reshape([n, c, kk, l]);
  const first = cols.argmax(2, true); // the first max of each window
  const values = cols.gather(2, first).reshape([n, c, out[0], out[1]]);
  if (!returnIndices) return values;
  // Padded flat position → the input's flat index h·W + w (padding cells are never a max).
  const source = Int32Array.from(slots, (q) => (Math.floor(q / wp) - p[0]) * hw[1] + (q % wp) - p[1]);
  const indices = constant(x, source, [1, 1, kk, l], 'int32').expand([n, c, kk, l]).gather(2, first).reshape([n, c, out[0], out[1]]);
  return { values, indices };
}

export interface AvgPool2dOptions {
  kernelSize: Pair;
  /** Default: kernelSize. */
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  /** Divide by the window's size including zero padding (default) or only by its cells inside the input. */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead. */
  divisorOverride?: number;
}

/**
 * One axis of average pooling as a matrix [out, size]: row o has weight 1/divisor on the input
 * cells of window o. PyTorch's divisor: the window clipped to the padded input (countIncludePad)
 * or to the input itself; both are products of a per-axis count, so pooling is separable.
 */
function windowMatrix(size: number, out: number, k: number, s: number, p: number, countIncludePad: boolean, unit: boolean): number[] {
  const m = new Array<number>(out * size).fill(0);
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, size + p);
    const [lo, hi] = [Math.max(start, 0), Math.min(end, size)];
    const w = unit ? 1 : 1 / (countIncludePad ? end - start : hi - lo);
    for (let i = lo; i < hi; i++) m[o * size + i] = w;
  }
  return m;
}

/** PyTorch's F.avg_pool2d: the sum of each window over a zero-padded input, divided by PyTorch's divisor (see windowMatrix). */
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor {
  const { kernelSize, stride, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride } = opts;
  if (divisorOverride !== undefined && (!Number.isInteger(divisorOverride) || divisorOverride === 0)) {
    throw new ArgumentError('avgPool2d', `got divisorOverride ${divisorOverride}, expected a non-zero integer`);
  }
  const { k, s, p, out, hw } = geometry('avgPool2d', x, kernelSize, stride, padding, 1, ceilMode);
  const unit = divisorOverride !== undefined;
  const [mh, mw] = [0, 1].map((i) => windowMatrix(hw[i], out[i], k[i], s[i], p[i], countIncludePad, unit));
  const y = separable(x, mh, mw, out, hw);
  return unit ? y.div(divisorOverride) : y;
}

/** A_h [oh, H] · x · A_wᵀ [W, ow]: batch dims broadcast through matmul. */
function separable(x: Tensor, mh: number[], mw: number[], out: number[], hw: number[]): Tensor {
  const ah = constant(x, mh, [out[0], hw[0]]);
  const awT = constant(x, mw, [out[1], hw[1]]).transpose(0, 1);
  return ah.matmul(x.matmul(awT));
}

/**
 * PyTorch's F.adaptive_avg_pool2d: output cell i averages input rows floor(i·H/out) to
 * ceil((i + 1)·H/out) − 1 (windows may overlap), and likewise for columns; null keeps that size.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | [number | null, number | null]): Tensor {
  const op = 'adaptiveAvgPool2d';
  if ((x.ndim !== 3 && x.ndim !== 4) || x.shape.slice(-3).some((v) => v === 0)) {
    throw new ShapeError(op, `got input of shape ${fmtShape(x.shape)}, expected [N, C, H, W] or [C, H, W] with non-zero C, H, W`);
  }
  if (!isFloat(x.dtype)) throw new DtypeError(op, `got a ${x.dtype} input, expected a float tensor`);
  const hw = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
  const req = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const out = req.map((v, i) => v ?? hw[i]);
  if (out.length !== 2 || !out.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ArgumentError(op, `got outputSize ${JSON.stringify(outputSize)}, expected two integers ≥ 0 (or null to keep a size)`);
  }
  const [mh, mw] = [0, 1].map((i) => {
    const m = new Array<number>(out[i] * hw[i]).fill(0);
    for (let o = 0; o < out[i]; o++) {
      const lo = Math.floor((o * hw[i]) / out[i]);
      const hi = Math.ceil(((o + 1) * hw[i]) / out[i]);
      for (let j = lo; j < hi; j++) m[o * hw[i] + j] = 1 / (hi - lo);
    }
    return m;
  });
  return separable(x, mh, mw, out, hw);
}
