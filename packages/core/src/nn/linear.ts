/** Linear maps and shape-only layers: Linear, Bilinear, Identity, Flatten, Unflatten. */
import { einsum } from '../ops/einsum.js';
import { ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newParameter, reprFields } from './options.js';

/** y = x Wᵀ + b over the last dim (PyTorch's F.linear). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const y = x.matmul(weight.T);
  return bias ? y.add(bias) : y;
}

/**
 * y = x Wᵀ + b, W: [out, in] (PyTorch's nn.Linear). Init: W ~ U(±1/√in) (kaimingUniform_ with
 * a = √5) and b ~ U(±1/√in).
 */
export class Linear extends Module<(x: Tensor) => Tensor> {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, { bias = true, ...opts }: FactoryOptions & { bias?: boolean } = {}) {
    super();
    checkLayerSizes('Linear', { inFeatures, outFeatures });
    this.weight = kaimingUniform_(newParameter([outFeatures, inFeatures], opts), { a: Math.sqrt(5), ...opts });
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = bias ? uniform_(newParameter([outFeatures], opts), -bound, bound, opts) : null;
  }
  forward(x: Tensor): Tensor { return linear(x, this.weight, this.bias); }
  override extraRepr(): string { return reprFields({ inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null }); }
}

/**
 * y_k = x₁ᵀ A_k x₂ + b_k, A: [out, in1, in2] (PyTorch's nn.Bilinear); inputs [..., in1] and
 * [..., in2] with the same leading dims. Init: A, b ~ U(±1/√in1).
 */
export class Bilinear extends Module<(x1: Tensor, x2: Tensor) => Tensor> {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly in1Features: number, readonly in2Features: number, readonly outFeatures: number, { bias = true, ...opts }: FactoryOptions & { bias?: boolean } = {}) {
    super();
    checkLayerSizes('Bilinear', { in1Features, in2Features, outFeatures });
    const bound = 1 / Math.sqrt(in1Features);
    this.weight = uniform_(newParameter([outFeatures, in1Features, in2Features], opts), -bound, bound, opts);
    this.bias = bias ? uniform_(newParameter([outFeatures], opts), -bound, bound, opts) : null;
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    const lead = x1.shape.slice(0, -1);
    if (x1.ndim < 1 || x2.ndim !== x1.ndim || x2.shape.slice(0, -1).some((s, i) => s !== lead[i])) {
      throw new ShapeError('Bilinear', `inputs ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} must have the same leading dims`);
    }
    const n = lead.reduce((a, b) => a * b, 1);
    const y = einsum('bi,oij,bj->bo', x1.reshape([n, this.in1Features]), this.weight, x2.reshape([n, this.in2Features]));
    return (this.bias ? y.add(this.bias) : y).reshape([...lead, this.outFeatures]);
  }
  override extraRepr(): string {
    return reprFields({ in1Features: this.in1Features, in2Features: this.in2Features, outFeatures: this.outFeatures, bias: this.bias !== null });
  }
}

/** Returns its input unchanged (a placeholder layer). */
export class Identity extends Module<(x: Tensor) => Tensor> {
  forward(x: Tensor): Tensor { return x; }
}

/** Flattens dims startDim..endDim into one (PyTorch's nn.Flatten: default from dim 1, keeping the batch dim). */
export class Flatten extends Module<(x: Tensor) => Tensor> {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }
  override extraRepr(): string { return reprFields({ startDim: this.startDim, endDim: this.endDim }); }
}

/** Splits dim `dim` into `sizes` (PyTorch's nn.Unflatten). */
export class Unflatten extends Module<(x: Tensor) => Tensor> {
  constructor(readonly dim: number, readonly sizes: readonly number[]) { super(); }
  forward(x: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + x.ndim : this.dim;
    return x.reshape([...x.shape.slice(0, d), ...this.sizes, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string { return reprFields({ dim: this.dim, unflattenedSize: this.sizes }); }
}
