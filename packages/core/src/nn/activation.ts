/** Activation layers, PyTorch's classes over graft's Tensor ops (`new nn.ReLU()`). */
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newParameter, reprFields } from './options.js';
import { constant_ } from './init.js';

/** An elementwise (or one-dim) activation: a layer without parameters. */
abstract class Activation extends Module<(x: Tensor) => Tensor> {}

/** max(0, x). */
export class ReLU extends Activation { forward(x: Tensor): Tensor { return x.relu(); } }
/** min(max(0, x), 6). */
export class ReLU6 extends Activation { forward(x: Tensor): Tensor { return x.hardtanh(0, 6); } }
/** x for x ≥ 0, negativeSlope·x below (default 0.01). */
export class LeakyReLU extends Activation {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return x.leakyRelu(this.negativeSlope); }
  override extraRepr(): string { return reprFields({ negativeSlope: this.negativeSlope }); }
}
/** x for x > 0, α(eˣ − 1) below (default α = 1). */
export class ELU extends Activation {
  constructor(readonly alpha = 1) { super(); }
  forward(x: Tensor): Tensor { return x.elu(this.alpha); }
  override extraRepr(): string { return reprFields({ alpha: this.alpha }); }
}
/** x·Φ(x), exact ('none', default) or with the tanh approximation. */
export class GELU extends Activation {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') { super(); }
  forward(x: Tensor): Tensor { return x.gelu(this.approximate); }
  override extraRepr(): string { return reprFields({ approximate: this.approximate }); }
}
/** x·σ(x) (a.k.a. swish). */
export class SiLU extends Activation { forward(x: Tensor): Tensor { return x.silu(); } }
/** x·tanh(softplus(x)). */
export class Mish extends Activation { forward(x: Tensor): Tensor { return x.mish(); } }
/** 1/(1 + e⁻ˣ). */
export class Sigmoid extends Activation { forward(x: Tensor): Tensor { return x.sigmoid(); } }
/** log σ(x). */
export class LogSigmoid extends Activation { forward(x: Tensor): Tensor { return x.logSigmoid(); } }
/** tanh(x). */
export class Tanh extends Activation { forward(x: Tensor): Tensor { return x.tanh(); } }
/** x/(1 + |x|). */
export class Softsign extends Activation { forward(x: Tensor): Tensor { return x.softsign(); } }
/** x clamped to [minVal, maxVal] (default [−1, 1]). */
export class Hardtanh extends Activation {
  constructor(readonly minVal = -1, readonly maxVal = 1) { super(); }
  forward(x: Tensor): Tensor { return x.hardtanh(this.minVal, this.maxVal); }
  override extraRepr(): string { return reprFields({ minVal: this.minVal, maxVal: this.maxVal }); }
}
/** log(1 + e^(βx))/β, and x itself where βx > threshold (PyTorch's default β = 1, threshold = 20). */
export class Softplus extends Activation {
  constructor(readonly beta = 1, readonly threshold = 20) { super(); }
  forward(x: Tensor): Tensor { return x.mul(this.beta).gt(this.threshold).where(x, x.softplus(this.beta)); }
  override extraRepr(): string { return reprFields({ beta: this.beta, threshold: this.threshold }); }
}
/** softmax along `dim`. */
export class Softmax extends Activation {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return x.softmax(this.dim); }
  override extraRepr(): string { return reprFields({ dim: this.dim }); }
}
/** log softmax along `dim`. */
export class LogSoftmax extends Activation {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return x.logSoftmax(this.dim); }
  override extraRepr(): string { return reprFields({ dim: this.dim }); }
}
/** softmax(−x) along `dim`. */
export class Softmin extends Activation {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return x.softmin(this.dim); }
  override extraRepr(): string { return reprFields({ dim: this.dim }); }
}

/**
 * x for x ≥ 0, a·x below, with a learned slope a: one shared (numParameters = 1, default) or one
 * per channel (dim 1 of the input), initialised to `init` = 0.25 (PyTorch's nn.PReLU).
 */
export class PReLU extends Module<(x: Tensor) => Tensor> {
  readonly weight: Tensor;
  constructor(readonly numSlopes = 1, { init = 0.25, ...opts }: FactoryOptions & { init?: number } = {}) {
    super();
    checkLayerSizes('PReLU', { numParameters: numSlopes });
    this.weight = constant_(newParameter([numSlopes], opts), init);
  }
  forward(x: Tensor): Tensor {
    const a = this.numSlopes === 1 || x.ndim < 2 ? this.weight : this.weight.reshape([this.numSlopes, ...new Array<number>(x.ndim - 2).fill(1)]);
    return x.gt(0).where(x, x.mul(a));
  }
  override extraRepr(): string { return reprFields({ numParameters: this.numSlopes }); }
}
