/**
 * The fused softmax family along one axis (float32 only), max-shifted as on the cpu backend: a
 * line's max m and s = Σ exp(x − m) come from two tiled reductions, then one elementwise pass
 * (g_lse, g_softmax, g_logsoftmax in glsl.ts) combines them.
 */
import { numel } from '@graft/core';
import { asLine } from '@graft/core/backend-kit';
import { type GpuBuffer, type GView, type Runtime, type Texture, tempView } from '../runtime.js';
import { fill, mapN } from './elementwise.js';
import { reduceTexture } from './reduce.js';

/** The line's max and Σ exp(x − max) along `axis`, dense [M] textures, handed to `use` and freed after. */
function withMaxSumExp<T>(rt: Runtime, x: GView, axis: number, use: (m: Texture, s: Texture) => T): T {
  const m = reduceTexture(rt, 'max', x, [axis]);
  const s = reduceTexture(rt, 'sum', x, [axis], m);
  try {
    return use(m, s);
  } finally {
    m.delete();
    s.delete();
  }
}

/** A stride-0 view of a dense texture over x's shape without `axis`, broadcast back over `axis`. */
function alongView(tex: Texture, x: GView, axis: number): GView {
  const strides = new Array<number>(x.shape.length).fill(0);
  let acc = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    if (d === axis) continue;
    strides[d] = acc;
    acc *= x.shape[d];
  }
  return { ...tempView(tex, [acc]), shape: x.shape, strides };
}

export function logsumexp(rt: Runtime, x0: GView, axis: number): GpuBuffer {
  const x = asLine(x0);
  const M = numel(x.shape.filter((_, d) => d !== axis));
  if (M === 0) return rt.empty('float32');
  if (x.shape[axis] === 0) return fill(rt, M, -Infinity, 'float32');
  const tex = withMaxSumExp(rt, x, axis, (m, s) => mapN(rt, 'lse', [M], [tempView(m, [M]), tempView(s, [M])], ([a, b]) => `g_lse(${a}, ${b}, infv)`));
  return rt.wrap(tex, M, 'float32', Infinity);
}

/** softmax or logSoftmax: shifted by the line's max and log Σ exp(x − max) separately (see g_logsoftmax). */
function along(mode: 'softmax' | 'logSoftmax', rt: Runtime, x0: GView, axis: number): GpuBuffer {
  const x = asLine(x0);
  const size = numel(x.shape);
  if (size === 0) return rt.empty('float32');
  const tex = withMaxSumExp(rt, x, axis, (m, s) => mapN(rt, mode, x.shape, [x, alongView(m, x, axis), alongView(s, x, axis)], ([a, b, c]) =>
    (mode === 'softmax' ? `g_softmax(${a}, ${b}, ${c}, nanv, infv)` : `g_logsoftmax(${a}, ${b}, ${c}, infv)`)));
  return rt.wrap(tex, size, 'float32', Infinity);
}

export const softmax = (rt: Runtime, x: GView, axis: number): GpuBuffer => along('softmax', rt, x, axis);
export const logSoftmax = (rt: Runtime, x: GView, axis: number): GpuBuffer => along('logSoftmax', rt, x, axis);
