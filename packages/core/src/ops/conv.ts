/**
 * 2-d convolution as a composition: im2col is an indexSelect of the padded, flattened image (so
 * its gradient, col2im, is the scatterAdd that indexSelect's backward already is), and the
 * convolution itself is one batched matmul. No conv primitive is needed in any backend.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import * as p from './primitives.js';

export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Flat positions in the padded image [Hp·Wp] read by each (kernel offset, output position): im2col's gather map. */
export function im2colIndex(wp: number, kh: number, kw: number, oh: number, ow: number, [sh, sw]: [number, number], [dh, dw]: [number, number]): Int32Array {
  const index = new Int32Array(kh * kw * oh * ow);
  let n = 0;
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
      index[n++] = (y * sh + i * dh) * wp + (x * sw + j * dw);
    }
  }
  return index;
}

/**
 * PyTorch's F.conv2d for groups = 1: input [N, C, H, W], weight [O, C, kh, kw], bias [O];
 * output [N, O, (H + 2p − d(k − 1) − 1)/s + 1, ...].
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  d.expectTensor('conv2d', weight, 'weight');
  if (bias != null) d.expectTensor('conv2d', bias, 'bias');
  const stride = pair(opts.stride ?? 1);
  const [ph, pw] = pair(opts.padding ?? 0);
  const dilation = pair(opts.dilation ?? 1);
  if ([...stride, ...dilation].some((v) => !Number.isInteger(v) || v < 1) || ph < 0 || pw < 0) {
    throw new ArgumentError('conv2d', `stride and dilation must be positive integers and padding non-negative, got stride ${stride}, padding ${[ph, pw]}, dilation ${dilation}`);
  }
  if (input.ndim !== 4 || weight.ndim !== 4 || input.shape[1] !== weight.shape[1]) {
    throw new ShapeError('conv2d', `expected input [N, C, H, W] and weight [O, C, kh, kw] with one C, got ${fmtShape(input.shape)} and ${fmtShape(weight.shape)}`);
  }
  const [n, c, h, w] = input.shape;
  const [o, , kh, kw] = weight.shape;
  const [hp, wp] = [h + 2 * ph, w + 2 * pw];
  const oh = Math.floor((hp - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wp - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  if (oh <= 0 || ow <= 0) {
    throw new ShapeError('conv2d', `kernel ${kh}×${kw} (dilation ${dilation}) does not fit the padded input ${hp}×${wp}`);
  }
  const index = p.fromHost(input, im2colIndex(wp, kh, kw, oh, ow, stride, dilation), [kh * kw * oh * ow], 'int32');
  // [N, C, Hp·Wp] → [N, C·kh·kw, oh·ow] columns, then weight [O, C·kh·kw] @ columns.
  const cols = input.pad([pw, pw, ph, ph]).reshape([n, c, hp * wp]).indexSelect(2, index).reshape([n, c * kh * kw, oh * ow]);
  const out = weight.reshape([o, c * kh * kw]).matmul(cols).reshape([n, o, oh, ow]);
  return bias ? out.add(bias.reshape([1, o, 1, 1])) : out;
}
