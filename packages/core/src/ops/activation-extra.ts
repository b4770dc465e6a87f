/** More activations, composed from Tensor ops (logit pairs its value with PyTorch's derivative). */
import { ArgumentError } from '../errors.js';
import { fmtValue, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { softplus } from './activation.js';
import * as d from './dispatch.js';
import { analytic, floatArg } from './math.js';
import { softmax } from './reduce.js';

/** A finite number option, else an ArgumentError naming it. */
function finiteOption(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(op, `expected ${name} to be a finite number, got ${fmtValue(v)}`);
  return v;
}

/**
 * clamp(x, minVal, maxVal), with PyTorch's gradient: 1 strictly inside (minVal, maxVal), 0 at the
 * bounds themselves and outside (clamp's gradient would be 1 at the bounds).
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  d.expectTensor('hardtanh', x, 'the input');
  finiteOption('hardtanh', 'minVal', minVal);
  finiteOption('hardtanh', 'maxVal', maxVal);
  if (minVal > maxVal) throw new ArgumentError('hardtanh', `got minVal ${minVal} > maxVal ${maxVal}, expected minVal ≤ maxVal`);
  return x.le(minVal).where(minVal, x.ge(maxVal).where(maxVal, x));
}

/** x·tanh(softplus(x)) (Misra, 2019); softplus's stable form keeps it finite at ±1e4. */
export function mish(x: Tensor): Tensor {
  const f = floatArg('mish', x);
  return f.mul(softplus(f).tanh());
}

/** x/(1 + |x|). */
export function softsign(x: Tensor): Tensor {
  const f = floatArg('softsign', x);
  return f.div(f.abs().add(1));
}

/** softmax(−x) along `dim`: max-shifted like softmax, so finite at ±1e4. */
export function softmin(x: Tensor, dim: number): Tensor {
  const f = floatArg('softmin', x);
  normalizeAxis('softmin', dim, f.ndim);
  return softmax(f.neg(), dim);
}

/**
 * log(z/(1 − z)) = log z − log1p(−z), z = clamp(x, eps, 1 − eps) when eps is given, else z = x
 * (NaN outside [0, 1]). Gradient 1/(x(1 − x)) inside [eps, 1 − eps]; outside it, 0 with eps and
 * NaN without (PyTorch's logit_backward).
 */
export function logit(x: Tensor, eps?: number): Tensor {
  if (eps !== undefined && eps !== null) finiteOption('logit', 'eps', eps);
  const clamped = eps !== undefined && eps !== null;
  const [lo, hi] = clamped ? [eps, 1 - eps] : [0, 1];
  const value = (t: Tensor) => {
    const z = clamped ? t.clamp(lo, hi) : t;
    return z.log().sub(z.neg().log1p());
  };
  const slope = (t: Tensor) => t.lt(lo).logicalOr(t.gt(hi)).where(clamped ? 0 : NaN, t.mul(t.neg().add(1)).reciprocal());
  return analytic('logit', value, slope)(x);
}
