/**
 * Activations composed from primitives: differentiable (to any order) because their parts are.
 * Kinks are written with `where` on the side PyTorch's derivative takes, never as max/min/abs,
 * whose ties split a gradient in half; NaN inputs stay NaN.
 */
import { Function } from '../autograd/function.js';
import type { Tensor } from '../tensor.js';

/** max(x, 0); the gradient at 0 is 0, as in PyTorch, and relu(NaN) is NaN. */
export const relu = (x: Tensor): Tensor => x.le(0).where(0, x);

export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => x.gt(0).where(x, x.mul(negativeSlope));

/** x·Φ(x) exactly (erf), or the tanh approximation of Hendrycks & Gimpel. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  return x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise. expm1 sees 0 where x > 0, so the unused branch never
 * overflows into a NaN gradient, and x itself at x = 0, so the gradient there is alpha (PyTorch's).
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  const positive = x.gt(0);
  return positive.where(x, positive.where(0, x).expm1().mul(alpha));
}

export const silu = (x: Tensor): Tensor => x.mul(x.sigmoid());

/**
 * log(1 + e^{βx})/β, computed in the stable form max(βx, 0) + log1p(e^{−|βx|}) (finite for any x);
 * its derivative σ(βx) is written out, because the stable form's max and |·| would give a zero
 * second derivative at 0 instead of β/4.
 */
class Softplus extends Function {
  constructor(private readonly beta: number) { super(); }
  /** βx, with no kernel for the common β = 1. */
  private scaled(x: Tensor): Tensor { return this.beta === 1 ? x : x.mul(this.beta); }
  forward(x: Tensor) {
    this.save(x);
    const bx = this.scaled(x);
    const y = bx.maximum(0).add(bx.abs().neg().exp().log1p());
    return this.beta === 1 ? y : y.div(this.beta);
  }
  backward(g: Tensor) {
    const [x] = this.savedTensors;
    return [g.mul(this.scaled(x).sigmoid())];
  }
}
export const softplus = (x: Tensor, beta = 1): Tensor => new Softplus(beta).apply(x);

/** log σ(x) = −softplus(−x), stable for any x. */
export const logSigmoid = (x: Tensor): Tensor => softplus(x.neg()).neg();
