/** Weight initialisers (PyTorch's nn.init), drawing from the seeded default generator. */
import { rand, randn, type RandomOptions } from '../creation.js';
import { ArgumentError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** fanIn, fanOut of a weight of shape [out, in, ...kernel]. */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) throw new ArgumentError('init', `fan in and fan out need a weight of at least 2 dims, got ${fmtShape(shape)}`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [(shape[1] ?? 1) * receptive, shape[0] * receptive];
}

/** fans(), refusing a zero fan (its bound would be NaN or infinite). */
function nonZeroFans(op: string, shape: readonly number[]): [number, number] {
  const f = fans(shape);
  if (f[0] === 0 || f[1] === 0) throw new ArgumentError(op, `a weight of shape ${fmtShape(shape)} has fan in ${f[0]} and fan out ${f[1]} (expected both positive)`);
  return f;
}

/** U(−bound, bound). */
export const uniform = (shape: readonly number[], bound: number, opts: RandomOptions = {}): Tensor =>
  rand(shape, opts).mul(2 * bound).sub(bound);

/** N(0, std²). */
export const normal = (shape: readonly number[], std: number, opts: RandomOptions = {}): Tensor => randn(shape, opts).mul(std);

/** Glorot & Bengio: U(±√(6/(fanIn+fanOut))). */
export function xavierUniform(shape: readonly number[], gain = 1, opts: RandomOptions = {}): Tensor {
  const [fi, fo] = nonZeroFans('xavierUniform', shape);
  return uniform(shape, gain * Math.sqrt(6 / (fi + fo)), opts);
}

/** He et al.: N(0, 2/fanIn), for ReLU layers. */
export function kaimingNormal(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return normal(shape, Math.sqrt(2 / nonZeroFans('kaimingNormal', shape)[0]), opts);
}

/** PyTorch's default for Linear: U(±1/√fanIn) (kaiming_uniform with a = √5). */
export function kaimingUniformDefault(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return uniform(shape, 1 / Math.sqrt(Math.max(fans(shape)[0], 1)), opts);
}
