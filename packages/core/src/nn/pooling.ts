/** Pooling layers over ops/pool.ts: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d (PyTorch's defaults). */
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import type { ValuesIndices } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { reprFields } from './options.js';

type Pair = number | [number, number];

/** The max of each window (PyTorch's nn.MaxPool2d; stride defaults to kernelSize). Use maxPool2d with returnIndices for the argmax positions. */
export class MaxPool2d extends Module<(x: Tensor) => Tensor> {
  readonly opts: MaxPool2dOptions;
  constructor(kernelSize: Pair, opts: Omit<MaxPool2dOptions, 'kernelSize' | 'returnIndices'> = {}) {
    super();
    this.opts = { kernelSize, ...opts };
  }
  forward(x: Tensor): Tensor { return maxPool2d(x, this.opts); }
  /** The max values and their flat indices h·W + w in each input plane (PyTorch's return_indices=True). */
  withIndices(x: Tensor): ValuesIndices { return maxPool2d(x, { ...this.opts, returnIndices: true }); }
  override extraRepr(): string {
    const { kernelSize, stride = kernelSize, padding = 0, dilation = 1, ceilMode = false } = this.opts;
    return reprFields({ kernelSize, stride, padding, dilation, ceilMode });
  }
}

/** The mean of each window (PyTorch's nn.AvgPool2d; stride defaults to kernelSize, padding counted in the divisor by default). */
export class AvgPool2d extends Module<(x: Tensor) => Tensor> {
  readonly opts: AvgPool2dOptions;
  constructor(kernelSize: Pair, opts: Omit<AvgPool2dOptions, 'kernelSize'> = {}) {
    super();
    this.opts = { kernelSize, ...opts };
  }
  forward(x: Tensor): Tensor { return avgPool2d(x, this.opts); }
  override extraRepr(): string {
    const { kernelSize, stride = kernelSize, padding = 0 } = this.opts;
    return reprFields({ kernelSize, stride, padding });
  }
}

/** Averages over windows chosen so the output is `outputSize` whatever the input size (PyTorch's nn.AdaptiveAvgPool2d; null keeps a size). */
export class AdaptiveAvgPool2d extends Module<(x: Tensor) => Tensor> {
  constructor(readonly outputSize: number | [number | null, number | null]) { super(); }
  forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
  override extraRepr(): string { return reprFields({ outputSize: this.outputSize }); }
}
