/** Convolution layers: Conv1d, Conv2d, ConvTranspose2d, with PyTorch's parameters and default init. */
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type ConvPadding, conv1d, conv2d, convTranspose2d } from './functional-conv.js';
import { fans, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newParameter, reprFields, tuple } from './options.js';

export interface ConvLayerOptions extends FactoryOptions {
  stride?: number | readonly number[];
  /** Zero padding per side, 'valid' (none) or 'same' (keeps the size; stride 1 only). */
  padding?: ConvPadding;
  dilation?: number | readonly number[];
  groups?: number;
  bias?: boolean;
}

/**
 * Weight [a, b, ...kernel] ~ U(±1/√fanIn) (kaimingUniform_ with a = √5) and bias [out] ~ U(±1/√fanIn):
 * PyTorch's _ConvNd.reset_parameters.
 */
function convParameters(shape: number[], out: number, bias: boolean, opts: FactoryOptions): [Tensor, Tensor | null] {
  const weight = kaimingUniform_(newParameter(shape, opts), { a: Math.sqrt(5), ...opts });
  const bound = 1 / Math.sqrt(fans(shape)[0]);
  return [weight, bias ? uniform_(newParameter([out], opts), -bound, bound, opts) : null];
}

function checkChannels(layer: string, inChannels: number, outChannels: number, groups: number): void {
  checkLayerSizes(layer, { inChannels, outChannels, groups });
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ArgumentError(layer, `inChannels (${inChannels}) and outChannels (${outChannels}) must both be divisible by groups (${groups})`);
  }
}

/** Shared state of the convolution layers. */
abstract class ConvNd extends Module<(x: Tensor) => Tensor> {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: ConvPadding;
  readonly dilation: number[];
  readonly groups: number;
  constructor(layer: string, readonly inChannels: number, readonly outChannels: number, kernelSize: number | readonly number[], dims: number, opts: ConvLayerOptions, transposed = false) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, ...factory } = opts;
    this.kernelSize = tuple(layer, 'kernelSize', kernelSize, dims);
    checkLayerSizes(layer, Object.fromEntries(this.kernelSize.map((k, i) => [`kernelSize[${i}]`, k])));
    checkChannels(layer, inChannels, outChannels, groups);
    this.stride = tuple(layer, 'stride', stride, dims);
    this.dilation = tuple(layer, 'dilation', dilation, dims);
    this.padding = typeof padding === 'string' ? padding : tuple(layer, 'padding', padding, dims);
    this.groups = groups;
    const shape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    [this.weight, this.bias] = convParameters(shape, outChannels, bias, factory);
  }
  override extraRepr(): string {
    return reprFields({
      inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, stride: this.stride, padding: this.padding,
      dilation: this.dilation.some((d) => d !== 1) ? this.dilation : undefined, groups: this.groups !== 1 ? this.groups : undefined, bias: this.bias !== null,
    });
  }
}

/** 1-d convolution over [N, C, L] (PyTorch's nn.Conv1d); weight [out, in/groups, k]. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super('Conv1d', inChannels, outChannels, kernelSize, 1, opts);
  }
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * 2-d convolution over [N, C, H, W] (PyTorch's nn.Conv2d); weight [out, in/groups, kh, kw].
 * `factory` is an older place for dtype/backend (they may also be given in `opts`).
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}, factory: FactoryOptions = {}) {
    super('Conv2d', inChannels, outChannels, kernelSize, 2, { ...factory, ...opts });
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

export interface ConvTransposeLayerOptions extends FactoryOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  outputPadding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
  bias?: boolean;
}

/**
 * Transposed 2-d convolution (PyTorch's nn.ConvTranspose2d): the gradient of a Conv2d with the
 * same settings, mapping [N, in, H, W] to [N, out, (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1, ...];
 * weight [in, out/groups, kh, kw].
 */
export class ConvTranspose2d extends ConvNd {
  readonly outputPadding: number[];
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvTransposeLayerOptions = {}) {
    const { outputPadding = 0, ...rest } = opts;
    super('ConvTranspose2d', inChannels, outChannels, kernelSize, 2, rest, true);
    this.outputPadding = tuple('ConvTranspose2d', 'outputPadding', outputPadding, 2);
  }
  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
  override extraRepr(): string {
    return super.extraRepr() + (this.outputPadding.some((v) => v !== 0) ? `, outputPadding=(${this.outputPadding.join(', ')})` : '');
  }
}
