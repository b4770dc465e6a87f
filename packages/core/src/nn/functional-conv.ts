/**
 * Convolutions beyond ops/conv2d, composed from it: groups (a conv2d per channel group,
 * concatenated), 'same'/'valid' padding (asymmetric padding done by pad), conv1d (a conv2d over a
 * height-1 image) and the transposed convolution (a stride-1 conv2d of the zero-stuffed input with
 * the flipped, transposed kernel).
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { concat } from '../ops/movement.js';
import { conv2d as conv2dOp } from '../ops/conv.js';
import type { Tensor } from '../tensor.js';
import { tuple } from './options.js';

/** PyTorch's padding argument: a size per side of each spatial dim, or 'valid' (none) or 'same' (output size = input size, stride 1). */
export type ConvPadding = number | readonly number[] | 'valid' | 'same';

export interface ConvOptions {
  stride?: number | readonly number[];
  padding?: ConvPadding;
  dilation?: number | readonly number[];
  groups?: number;
}

/** Adds a batch dim to an unbatched input (PyTorch accepts [C, ...spatial]) and removes it from the result. */
function batched(x: Tensor, spatial: number, fn: (x: Tensor) => Tensor): Tensor {
  if (x.ndim === spatial + 1) return fn(x.unsqueeze(0)).squeeze(0);
  return fn(x);
}

function checkGroups(op: string, x: Tensor, weight: Tensor, groups: number, transposed: boolean): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(op, `groups must be a positive integer, got ${groups}`);
  const cin = x.shape[1];
  const wIn = transposed ? weight.shape[0] : weight.shape[1] * groups;
  const wOut = transposed ? weight.shape[1] * groups : weight.shape[0];
  if (cin % groups !== 0 || wOut % groups !== 0 || cin !== wIn) {
    throw new ShapeError(op, `input ${fmtShape(x.shape)} and weight ${fmtShape(weight.shape)} do not fit groups=${groups}: expected ${wIn} input channels, both channel counts divisible by groups`);
  }
}

/** 2-d convolution of [N, C, H, W] (or [C, H, W]) with weight [O, C/groups, kh, kw] (PyTorch's F.conv2d). */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  const { groups = 1 } = opts;
  const stride = tuple('conv2d', 'stride', opts.stride ?? 1, 2) as [number, number];
  const dilation = tuple('conv2d', 'dilation', opts.dilation ?? 1, 2) as [number, number];
  if (weight.ndim !== 4) throw new ShapeError('conv2d', `expected a weight [O, C/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError('conv2d', `expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  return batched(x, 2, (x4) => {
    checkGroups('conv2d', x4, weight, groups, false);
    const [pads, padded] = spatialPadding('conv2d', x4, weight.shape.slice(2), opts.padding ?? 0, stride, dilation);
    const o = { stride, dilation, padding: pads as [number, number] };
    if (groups === 1) return conv2dOp(padded, weight, bias, o);
    const xs = padded.chunk(groups, 1);
    const ws = weight.chunk(groups, 0);
    const bs = bias ? bias.chunk(groups, 0) : [];
    return concat(xs.map((xg, g) => conv2dOp(xg, ws[g], bias ? bs[g] : null, o)), 1);
  });
}

/**
 * The symmetric padding to give conv2d, and the input with any asymmetric remainder already
 * padded ('same' with an even kernel extent pads one more on the right, as PyTorch).
 */
function spatialPadding(op: string, x: Tensor, kernel: number[], padding: ConvPadding, stride: number[], dilation: number[]): [number[], Tensor] {
  if (padding === 'valid') return [[0, 0], x];
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ArgumentError(op, `padding='same' is not supported for strided convolutions (stride ${stride})`);
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    const left = total.map((t) => Math.floor(t / 2));
    const extra = total.map((t, i) => t - 2 * left[i]);
    return [left, extra.some((e) => e > 0) ? x.pad([0, extra[1], 0, extra[0]]) : x];
  }
  if (typeof padding === 'string') throw new ArgumentError(op, `padding must be a number, a pair, 'valid' or 'same', got '${padding}'`);
  return [tuple(op, 'padding', padding, 2), x];
}

/** 1-d convolution of [N, C, L] (or [C, L]) with weight [O, C/groups, k] (PyTorch's F.conv1d). */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  if (weight.ndim !== 3) throw new ShapeError('conv1d', `expected a weight [O, C/groups, k], got ${fmtShape(weight.shape)}`);
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError('conv1d', `expected input [N, C, L] or [C, L], got ${fmtShape(x.shape)}`);
  const one = (v: number | readonly number[] | undefined, name: string, dflt: number) => [1, tuple('conv1d', name, v ?? dflt, 1)[0]];
  const padding = opts.padding === 'same' || opts.padding === 'valid' ? opts.padding : [0, tuple('conv1d', 'padding', opts.padding ?? 0, 1)[0]];
  const o = { groups: opts.groups, stride: one(opts.stride, 'stride', 1), dilation: one(opts.dilation, 'dilation', 1), padding };
  return conv2d(x.unsqueeze(-2), weight.unsqueeze(-2), bias, o).squeeze(-2);
}

export interface ConvTransposeOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  /** Extra size added to one side of the output (each entry below max(stride, dilation)), to pick among the input sizes a strided conv maps to one output size. */
  outputPadding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
}

/**
 * Transposed 2-d convolution of [N, Cin, H, W] (or [Cin, H, W]) with weight [Cin, O/groups, kh, kw]
 * (PyTorch's F.conv_transpose2d): output size (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1. The
 * gradient of conv2d with respect to its input.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  const op = 'convTranspose2d';
  const { groups = 1 } = opts;
  const [s, p, op2, dl] = (['stride', 'padding', 'outputPadding', 'dilation'] as const).map((k) => tuple(op, k, opts[k] ?? (k === 'stride' || k === 'dilation' ? 1 : 0), 2));
  if ([...s, ...dl].some((v) => v < 1) || p.some((v) => v < 0)) throw new ArgumentError(op, `stride and dilation must be positive and padding non-negative, got stride ${s}, padding ${p}, dilation ${dl}`);
  if (op2.some((v, i) => v < 0 || v >= Math.max(s[i], dl[i]))) throw new ArgumentError(op, `outputPadding ${op2} must be non-negative and smaller than either stride ${s} or dilation ${dl}`);
  if (weight.ndim !== 4) throw new ShapeError(op, `expected a weight [Cin, O/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(op, `expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  return batched(x, 2, (x4) => {
    checkGroups(op, x4, weight, groups, true);
    const [n, c, h, w] = x4.shape;
    const k = weight.shape.slice(2);
    // Zero-stuff: s−1 zeros between neighbouring input cells.
    const stuffed = x4.reshape([n, c, h, 1, w, 1]).pad([0, s[1] - 1, 0, 0, 0, s[0] - 1])
      .reshape([n, c, h * s[0], w * s[1]]).narrow(2, 0, (h - 1) * s[0] + 1).narrow(3, 0, (w - 1) * s[1] + 1);
    // Full padding d·(k−1) − p per side (a crop when negative), plus outputPadding at the end.
    const q = k.map((kk, i) => dl[i] * (kk - 1) - p[i]);
    let y = stuffed.pad([Math.max(q[1], 0), Math.max(q[1] + op2[1], 0), Math.max(q[0], 0), Math.max(q[0] + op2[0], 0)]);
    for (const [axis, i] of [[2, 0], [3, 1]]) {
      const lo = Math.max(-q[i], 0);
      const hi = Math.max(-(q[i] + op2[i]), 0);
      if (lo || hi) y = y.narrow(axis, lo, y.shape[axis] - lo - hi);
    }
    // [Cin, O/g, kh, kw] → per group [O/g, Cin/g, kh, kw], flipped in space.
    const kernel = concat(weight.chunk(groups, 0).map((wg) => wg.transpose(0, 1)), 0).flip([2, 3]);
    return conv2d(y, kernel, bias, { groups, dilation: dl });
  });
}
