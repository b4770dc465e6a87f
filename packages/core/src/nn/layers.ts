import type { CreateOptions } from '../creation.js';
import { ArgumentError } from '../errors.js';
import { conv2d, type Conv2dOptions } from '../ops/conv.js';
import type { Tensor } from '../tensor.js';
import { kaimingUniformDefault, uniform } from './init.js';
import { Module, Parameter } from './module.js';

/** Layer sizes must be positive integers: a zero-size weight would give NaN init bounds (1/√0). */
function checkLayerSizes(layer: string, sizes: { [name: string]: number }): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(layer, `${name} must be a positive integer, got ${v}`);
  }
}

/** y = x Wᵀ + b, W: [out, in], initialised as PyTorch's nn.Linear. */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, { bias = true, ...opts }: CreateOptions & { bias?: boolean } = {}) {
    super();
    checkLayerSizes('Linear', { inFeatures, outFeatures });
    this.weight = Parameter.of(kaimingUniformDefault([outFeatures, inFeatures], opts));
    this.bias = bias ? Parameter.of(uniform([outFeatures], 1 / Math.sqrt(inFeatures), opts)) : null;
  }
  forward(x: Tensor): Tensor {
    const y = x.matmul(this.weight.T);
    return this.bias ? y.add(this.bias) : y;
  }
  override toString(): string { return `Linear(${this.inFeatures} → ${this.outFeatures}${this.bias ? '' : ', no bias'})`; }
}

/** 2-d convolution layer (groups = 1), initialised as PyTorch's nn.Conv2d. */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], private readonly conv: Conv2dOptions & { bias?: boolean } = {}, opts: CreateOptions = {}) {
    super();
    const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    checkLayerSizes('Conv2d', { inChannels, outChannels, 'kernelSize[0]': kh, 'kernelSize[1]': kw });
    this.weight = Parameter.of(kaimingUniformDefault([outChannels, inChannels, kh, kw], opts));
    this.bias = (conv.bias ?? true) ? Parameter.of(uniform([outChannels], 1 / Math.sqrt(inChannels * kh * kw), opts)) : null;
  }
  forward(x: Tensor): Tensor { return conv2d(x, this.weight, this.bias, this.conv); }
}

/** Wraps an elementwise function as a layer (ReLU, Tanh, ...). */
export class Lambda extends Module {
  constructor(private readonly fn: (x: Tensor) => Tensor, private readonly label = 'Lambda') { super(); }
  forward(x: Tensor): Tensor { return this.fn(x); }
  override toString(): string { return this.label; }
}
export const ReLU = (): Lambda => new Lambda((x) => x.relu(), 'ReLU');
export const Tanh = (): Lambda => new Lambda((x) => x.tanh(), 'Tanh');
export const Sigmoid = (): Lambda => new Lambda((x) => x.sigmoid(), 'Sigmoid');
export const GELU = (): Lambda => new Lambda((x) => x.gelu(), 'GELU');

/** Layers applied in order. */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) { super(); this.layers = layers; }
  forward(x: Tensor): Tensor { return this.layers.reduce((h, layer) => layer.forward(h), x); }
  override toString(): string { return `Sequential(\n${this.layers.map((l) => `  ${String(l)}`).join('\n')}\n)`; }
}
