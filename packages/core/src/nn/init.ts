/**
 * Weight initialisers, PyTorch's nn.init: each fills a tensor in place (under noGrad, so a
 * parameter can be re-initialised) from the seeded default generator or `opts.generator`, and
 * returns it. Formulas and defaults as torch/nn/init.py.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { randn } from '../creation.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { qr } from '../linalg/qr.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';

/** Options shared by the random initialisers. */
export interface InitOptions { generator?: Generator }

/** Activations whose recommended gain calculateGain knows. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/**
 * The gain that keeps activations' variance stable through `nonlinearity` (PyTorch's
 * calculate_gain): 1 for linear layers and sigmoid, 5/3 for tanh, √2 for ReLU,
 * √(2/(1 + slope²)) for leaky ReLU (slope `param`, default 0.01), 3/4 for SELU.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'convTranspose1d': case 'convTranspose2d': case 'convTranspose3d': case 'sigmoid':
      return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new ArgumentError('calculateGain', `negative slope ${slope} is not a finite number`);
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu': return 3 / 4;
    default:
      nonlinearity satisfies never;
      throw new ArgumentError('calculateGain', `unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/** [fanIn, fanOut] of a weight of shape [out, in, ...kernel] (PyTorch's _calculate_fan_in_and_fan_out). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) throw new ArgumentError('init', `fan in and fan out need a weight of at least 2 dims, got ${fmtShape(shape)}`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1] * receptive, shape[0] * receptive];
}

/** fans(), refusing a zero fan (its bound would be NaN or infinite). */
function nonZeroFans(op: string, t: Tensor): [number, number] {
  const f = fans(t.shape);
  if (f[0] === 0 || f[1] === 0) throw new ArgumentError(op, `a weight of shape ${fmtShape(t.shape)} has fan in ${f[0]} and fan out ${f[1]} (expected both positive)`);
  return f;
}

/** Fills `t` with U(a, b). */
export const uniform_ = (t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor => noGrad(() => t.uniform_(a, b, opts));
/** Fills `t` with N(mean, std²). */
export const normal_ = (t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor => noGrad(() => t.normal_(mean, std, opts));
/** Fills `t` with `value`. */
export const constant_ = (t: Tensor, value: number): Tensor => noGrad(() => t.assign(value));
/** Fills `t` with 0. */
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
/** Fills `t` with 1. */
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/** Glorot & Bengio (2010): U(±gain·√(6/(fanIn + fanOut))). */
export function xavierUniform_(t: Tensor, { gain = 1, ...opts }: InitOptions & { gain?: number } = {}): Tensor {
  const [fi, fo] = nonZeroFans('xavierUniform_', t);
  const bound = gain * Math.sqrt(6 / (fi + fo));
  return uniform_(t, -bound, bound, opts);
}

/** Glorot & Bengio (2010): N(0, gain²·2/(fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, { gain = 1, ...opts }: InitOptions & { gain?: number } = {}): Tensor {
  const [fi, fo] = nonZeroFans('xavierNormal_', t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fi + fo)), opts);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward pass ('fanIn', default) or of the backward pass ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
  /** Default 'leakyRelu' (with slope `a`), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

/** He et al. (2015)'s std: gain / √fan. */
function kaimingStd(op: string, t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' }: KaimingOptions): number {
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ArgumentError(op, `mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const [fi, fo] = nonZeroFans(op, t);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fi : fo);
}

/** He et al. (2015): U(±√3·gain/√fan). With a = √5 this is PyTorch's default for Linear and Conv weights, U(±1/√fanIn). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, opts);
  return uniform_(t, -bound, bound, opts);
}

/** He et al. (2015): N(0, gain²/fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, opts), opts);
}

/**
 * Saxe et al. (2014): a (semi-)orthogonal matrix times `gain`, from the QR decomposition of a
 * Gaussian matrix with R's diagonal signs folded into Q (so Q is uniformly distributed). Dims
 * after the first are flattened, as PyTorch's orthogonal_.
 */
export function orthogonal_(t: Tensor, { gain = 1, ...opts }: InitOptions & { gain?: number } = {}): Tensor {
  if (t.ndim < 2) throw new ArgumentError('orthogonal_', `only tensors with 2 or more dimensions are supported, got shape ${fmtShape(t.shape)}`);
  const rows = t.shape[0];
  const cols = t.size / rows;
  return noGrad(() => {
    const flat = randn([rows, cols], { dtype: 'float64', generator: opts.generator });
    const a = rows < cols ? flat.T : flat;
    const { Q, R } = qr(a);
    let q = Q.mul(R.diagonal().sign());
    if (rows < cols) q = q.T;
    return t.assign(q.mul(gain).reshape(t.shape).to(t.backendName));
  });
}
