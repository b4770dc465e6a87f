/** Elementwise unary ops: one Function per primitive, backward beside forward. */
import { Function } from '../autograd/function.js';
import type { UnaryOp } from '../backend/backend.js';
import { isFloat } from '../dtype.js';
import { DtypeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';

/** A unary primitive whose backward needs the input `x` or the output `y`. */
abstract class UnaryFn extends Function {
  protected abstract readonly op: UnaryOp;
  /** Float-only ops compute int/bool inputs in float32 (PyTorch's torch.exp(int) behaviour). */
  protected readonly floatOnly: boolean = true;
  forward(x: Tensor): Tensor {
    const y = d.unary(this.op, this.floatOnly ? d.toFloat(x) : x);
    this.save(x, y);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [x, y] = this.savedTensors;
    return [this.derivative(g, x, y)];
  }
  /** g · dy/dx, in Tensor ops. */
  protected abstract derivative(g: Tensor, x: Tensor, y: Tensor): Tensor;
}

// ---- sign-like ops --------------------------------------------------------------------
class Neg extends UnaryFn {
  op = 'neg' as const; override floatOnly = false;
  derivative(g: Tensor) { return g.neg(); }
}
class Abs extends UnaryFn {
  op = 'abs' as const; override floatOnly = false;
  derivative(g: Tensor, x: Tensor) { return g.mul(x.sign()); } // PyTorch: d|x|/dx at 0 is 0
}
class Reciprocal extends UnaryFn {
  op = 'reciprocal' as const;
  derivative(g: Tensor, _x: Tensor, y: Tensor) { return g.neg().mul(y.square()); }
}

// ---- exponentials and logarithms ---------------------------------------------------------
class Exp extends UnaryFn {
  op = 'exp' as const;
  derivative(g: Tensor, _x: Tensor, y: Tensor) { return g.mul(y); }
}
class Expm1 extends UnaryFn {
  op = 'expm1' as const;
  derivative(g: Tensor, _x: Tensor, y: Tensor) { return g.mul(y.add(1)); }
}
class Log extends UnaryFn {
  op = 'log' as const;
  derivative(g: Tensor, x: Tensor) { return g.div(x); }
}
class Log1p extends UnaryFn {
  op = 'log1p' as const;
  derivative(g: Tensor, x: Tensor) { return g.div(x.add(1)); }
}
class Sqrt extends UnaryFn {
  op = 'sqrt' as const;
  derivative(g: Tensor, _x: Tensor, y: Tensor) { return g.div(y.mul(2)); }
}

// ---- trigonometric and squashing ------------------------------------------------------------
class Sin extends UnaryFn {
  op = 'sin' as const;
  derivative(g: Tensor, x: Tensor) { return g.mul(x.cos()); }
}
class Cos extends UnaryFn {
  op = 'cos' as const;
  derivative(g: Tensor, x: Tensor) { return g.mul(x.sin().neg()); }
}
class Tanh extends UnaryFn {
  op = 'tanh' as const;
  derivative(g: Tensor, _x: Tensor, y: Tensor) { return g.mul(y.square().neg().add(1)); }
}
class Sigmoid extends UnaryFn {
  op = 'sigmoid' as const;
  derivative(g: Tensor, _x: Tensor, y: Tensor) { return g.mul(y.mul(y.neg().add(1))); }
}
class Erf extends UnaryFn {
  op = 'erf' as const;
  // d erf(x)/dx = 2/√π · exp(-x²)
  derivative(g: Tensor, x: Tensor) { return g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))); }
}

/** Piecewise-constant ops: their derivative is zero almost everywhere (PyTorch returns zeros). */
class PiecewiseConstant extends UnaryFn {
  override floatOnly = false;
  constructor(protected readonly op: UnaryOp) { super(); }
  derivative(g: Tensor) { return g.zerosLike(); }
}

export function neg(x: Tensor): Tensor {
  if (x.dtype === 'bool') throw new DtypeError('neg', 'negation, the `-` operator, on a bool tensor is not supported; use logicalNot() instead');
  return new Neg().apply(x);
}
export const abs = (x: Tensor): Tensor => new Abs().apply(x);
export const sign = (x: Tensor): Tensor => new PiecewiseConstant('sign').apply(x);
export const floor = (x: Tensor): Tensor => (isFloat(x.dtype) ? new PiecewiseConstant('floor').apply(x) : x);
export const ceil = (x: Tensor): Tensor => (isFloat(x.dtype) ? new PiecewiseConstant('ceil').apply(x) : x);
export const round = (x: Tensor): Tensor => (isFloat(x.dtype) ? new PiecewiseConstant('round').apply(x) : x);
export const reciprocal = (x: Tensor): Tensor => new Reciprocal().apply(x);
export const exp = (x: Tensor): Tensor => new Exp().apply(x);
export const expm1 = (x: Tensor): Tensor => new Expm1().apply(x);
export const log = (x: Tensor): Tensor => new Log().apply(x);
export const log1p = (x: Tensor): Tensor => new Log1p().apply(x);
export const sqrt = (x: Tensor): Tensor => new Sqrt().apply(x);
export const sin = (x: Tensor): Tensor => new Sin().apply(x);
export const cos = (x: Tensor): Tensor => new Cos().apply(x);
export const tanh = (x: Tensor): Tensor => new Tanh().apply(x);
export const sigmoid = (x: Tensor): Tensor => new Sigmoid().apply(x);
export const erf = (x: Tensor): Tensor => new Erf().apply(x);

// ---- compositions -------------------------------------------------------------------------
export const square = (x: Tensor): Tensor => x.mul(x);
export const rsqrt = (x: Tensor): Tensor => x.sqrt().reciprocal();
export const log2 = (x: Tensor): Tensor => x.log().mul(1 / Math.LN2);
