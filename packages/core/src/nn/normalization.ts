/** Normalisation layers: BatchNorm1d/2d (running statistics), LayerNorm, GroupNorm; PyTorch's formulas and defaults. */
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../creation.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { ones_ } from './init.js';
import { Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newBuffer, newParameter, reprFields } from './options.js';
import { Buffer } from './parameter.js';

/** (x − mean)/√(var + eps) with the biased variance over `axes`. */
function normalize(x: Tensor, axes: number[], eps: number): Tensor {
  const mean = x.mean(axes, true);
  const centered = x.sub(mean);
  return centered.div(centered.square().mean(axes, true).add(eps).sqrt());
}

/** A per-channel vector [C] shaped to broadcast along dim 1 of an ndim-dim input. */
const alongChannels = (v: Tensor, ndim: number): Tensor => v.reshape([v.size, ...new Array<number>(Math.max(ndim - 2, 0)).fill(1)]);

export interface BatchNormOptions extends FactoryOptions {
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1); null: a cumulative average over all batches. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running mean and variance for eval mode (default true); without them eval mode normalises with batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over dim 1 (Ioffe & Szegedy, 2015), PyTorch's _BatchNorm: in training mode
 * the batch's mean and biased variance normalise, and the running averages take
 * momentum·(batch mean) and momentum·(unbiased batch variance); in eval mode the running
 * statistics normalise.
 */
abstract class BatchNorm extends Module<(x: Tensor) => Tensor> {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly running_mean: Tensor | null;
  readonly running_var: Tensor | null;
  readonly num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  constructor(private readonly layer: string, readonly numFeatures: number, private readonly inputDims: number[], opts: BatchNormOptions) {
    super();
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, ...factory } = opts;
    checkLayerSizes(layer, { numFeatures });
    if (!(eps >= 0)) throw new ArgumentError(layer, `eps must be non-negative, got ${eps}`);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) throw new ArgumentError(layer, `momentum must lie in [0, 1] or be null, got ${momentum}`);
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? ones_(newParameter([numFeatures], factory)) : null;
    this.bias = affine ? newParameter([numFeatures], factory) : null;
    this.running_mean = trackRunningStats ? newBuffer([numFeatures], 0, factory) : null;
    this.running_var = trackRunningStats ? newBuffer([numFeatures], 1, factory) : null;
    this.num_batches_tracked = trackRunningStats ? Buffer.of(zeros([], { dtype: 'int32', backend: factory.backend })) : null;
  }

  forward(x: Tensor): Tensor {
    if (!this.inputDims.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(this.layer, `expected input of ${this.inputDims.join(' or ')} dims with ${this.numFeatures} channels at dim 1, got ${fmtShape(x.shape)}`);
    }
    const axes = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
    const useBatch = this.training || this.running_mean === null;
    let y: Tensor;
    if (useBatch) {
      const n = x.size / this.numFeatures;
      if (this.training && n <= 1) throw new ArgumentError(this.layer, `expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}`);
      y = normalize(x, axes, this.eps);
      if (this.training && this.running_mean) this.updateRunningStats(x, axes, n);
    } else {
      const mean = alongChannels(this.running_mean!, x.ndim);
      const variance = alongChannels(this.running_var!, x.ndim);
      y = x.sub(mean).div(variance.add(this.eps).sqrt());
    }
    if (this.weight && this.bias) y = y.mul(alongChannels(this.weight, x.ndim)).add(alongChannels(this.bias, x.ndim));
    return y;
  }

  private updateRunningStats(x: Tensor, axes: number[], n: number): void {
    noGrad(() => {
      const count = this.num_batches_tracked!.add(1);
      this.num_batches_tracked!.assign(count);
      const m = this.momentum ?? 1 / count.item();
      const mean = x.mean(axes);
      const unbiased = x.var(axes, { correction: 0 }).mul(n / (n - 1));
      this.running_mean!.assign(this.running_mean!.mul(1 - m).add(mean.mul(m)));
      this.running_var!.assign(this.running_var!.mul(1 - m).add(unbiased.mul(m)));
    });
  }

  override extraRepr(): string {
    return reprFields({ numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum, affine: this.weight !== null, trackRunningStats: this.running_mean !== null });
  }
}

/** BatchNorm over [N, C] or [N, C, L] (PyTorch's nn.BatchNorm1d). */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) { super('BatchNorm1d', numFeatures, [2, 3], opts); }
}

/** BatchNorm over [N, C, H, W] (PyTorch's nn.BatchNorm2d). */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) { super('BatchNorm2d', numFeatures, [4], opts); }
}

export interface LayerNormOptions extends FactoryOptions {
  eps?: number;
  /** Learn an elementwise scale (and shift, with `bias`) over normalizedShape (default true). */
  elementwiseAffine?: boolean;
  bias?: boolean;
}

/** Normalises over the last dims `normalizedShape` of each sample (Ba et al., 2016; PyTorch's nn.LayerNorm). */
export class LayerNorm extends Module<(x: Tensor) => Tensor> {
  readonly normalizedShape: number[];
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;
  constructor(normalizedShape: number | readonly number[], { eps = 1e-5, elementwiseAffine = true, bias = true, ...factory }: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    checkLayerSizes('LayerNorm', Object.fromEntries(this.normalizedShape.map((s, i) => [`normalizedShape[${i}]`, s])));
    this.eps = eps;
    this.weight = elementwiseAffine ? ones_(newParameter(this.normalizedShape, factory)) : null;
    this.bias = elementwiseAffine && bias ? newParameter(this.normalizedShape, factory) : null;
  }
  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    if (x.ndim < k || x.shape.slice(-k).some((s, i) => s !== this.normalizedShape[i])) {
      throw new ShapeError('LayerNorm', `expected input ending in ${fmtShape(this.normalizedShape)}, got ${fmtShape(x.shape)}`);
    }
    let y = normalize(x, Array.from({ length: k }, (_, i) => x.ndim - k + i), this.eps);
    if (this.weight) y = y.mul(this.weight);
    return this.bias ? y.add(this.bias) : y;
  }
  override extraRepr(): string { return reprFields({ normalizedShape: this.normalizedShape, eps: this.eps, elementwiseAffine: this.weight !== null }); }
}

export interface GroupNormOptions extends FactoryOptions {
  eps?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
}

/** Normalises each group of numChannels/numGroups channels of each sample (Wu & He, 2018; PyTorch's nn.GroupNorm). */
export class GroupNorm extends Module<(x: Tensor) => Tensor> {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;
  constructor(readonly numGroups: number, readonly numChannels: number, { eps = 1e-5, affine = true, ...factory }: GroupNormOptions = {}) {
    super();
    checkLayerSizes('GroupNorm', { numGroups, numChannels });
    if (numChannels % numGroups !== 0) throw new ArgumentError('GroupNorm', `numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.eps = eps;
    this.weight = affine ? ones_(newParameter([numChannels], factory)) : null;
    this.bias = affine ? newParameter([numChannels], factory) : null;
  }
  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError('GroupNorm', `expected input [N, ${this.numChannels}, ...], got ${fmtShape(x.shape)}`);
    }
    const [n] = x.shape;
    let y = normalize(x.reshape([n, this.numGroups, -1]), [2], this.eps).reshape(x.shape);
    if (this.weight && this.bias) y = y.mul(alongChannels(this.weight, x.ndim)).add(alongChannels(this.bias, x.ndim));
    return y;
  }
  override extraRepr(): string { return reprFields({ numGroups: this.numGroups, numChannels: this.numChannels, eps: this.eps, affine: this.weight !== null }); }
}
