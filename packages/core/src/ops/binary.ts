/** Elementwise binary and ternary ops, with gradients summed back over broadcast dims. */
import { Function } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { ArgumentError, DtypeError } from '../errors.js';
import { broadcastShapes, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import { sumTo } from './reduce.js';

type Operand = d.TensorLike;

abstract class BinaryFn extends Function {
  backward(g: Tensor): (Tensor | null)[] {
    const [a, b] = this.savedTensors;
    const [ga, gb] = this.grads(g, a, b);
    return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
  }
  /** The gradients at the broadcast shape; null where needsInputGrad is false. */
  protected abstract grads(g: Tensor, a: Tensor, b: Tensor): [Tensor | null, Tensor | null];
}

/** a ± b: backward needs only the operands' shapes, so it keeps no tensor alive (or version-checked). */
class AddSub extends Function {
  constructor(private readonly op: 'add' | 'sub') { super(); }
  private shapes: Shape[] = [];
  forward(a: Tensor, b: Tensor) { this.shapes = [a.shape, b.shape]; return d.binary(this.op, a, b); }
  backward(g: Tensor): (Tensor | null)[] {
    const gb = this.needsInputGrad[1] ? sumTo(this.op === 'add' ? g : g.neg(), this.shapes[1]) : null;
    return [this.needsInputGrad[0] ? sumTo(g, this.shapes[0]) : null, gb];
  }
}
class Mul extends BinaryFn {
  forward(a: Tensor, b: Tensor) { this.save(a, b); return d.binary('mul', a, b); }
  grads(g: Tensor, a: Tensor, b: Tensor): [Tensor | null, Tensor | null] {
    return [this.needsInputGrad[0] ? g.mul(b) : null, this.needsInputGrad[1] ? g.mul(a) : null];
  }
}
class Div extends BinaryFn {
  forward(a: Tensor, b: Tensor) { this.save(a, b); return d.binary('div', a, b); }
  grads(g: Tensor, a: Tensor, b: Tensor): [Tensor | null, Tensor | null] {
    const gb = this.needsInputGrad[1] ? g.mul(a).div(b.square()).neg() : null;
    return [this.needsInputGrad[0] ? g.div(b) : null, gb];
  }
}
class Pow extends BinaryFn {
  forward(a: Tensor, b: Tensor) { this.save(a, b); return d.binary('pow', a, b); }
  grads(g: Tensor, a: Tensor, b: Tensor): [Tensor | null, Tensor | null] {
    // d/da = b·a^(b−1); at b = 0 PyTorch gives 0 even where a^(−1) is infinite. The masked-off
    // branch sees base 1 there, so it never holds ∞ (which a second-order pass would turn into 0·∞ = NaN).
    const bZero = b.eq(0);
    const ga = this.needsInputGrad[0] ? bZero.where(0, g.mul(b).mul(bZero.where(1, a).pow(b.sub(1)))) : null;
    // d/db = a^b·log a, defined as 0 at a = 0 for b >= 0 (the limit), as PyTorch does; log sees 1 there.
    const limit = a.eq(0).logicalAnd(b.ge(0));
    const gb = this.needsInputGrad[1] ? limit.where(0, g.mul(a.pow(b)).mul(limit.where(1, a).log())) : null;
    return [ga, gb];
  }
}
/**
 * maximum/minimum: the larger (smaller) operand takes the gradient; ties split it in half; an
 * operand that loses gets exactly 0, even for an infinite g (selected, never multiplied by 0), as PyTorch.
 */
class Extremum extends BinaryFn {
  constructor(private readonly op: 'maximum' | 'minimum') { super(); }
  forward(a: Tensor, b: Tensor) { this.save(a, b); return d.binary(this.op, a, b); }
  grads(g: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
    const loses = (x: Tensor, y: Tensor) => (this.op === 'maximum' ? x.lt(y) : x.gt(y));
    const tie = a.eq(b);
    const half = g.mul(0.5);
    return [tie.where(half, loses(a, b).where(0, g)), tie.where(half, loses(b, a).where(0, g))];
  }
}

/** where(cond, a, b): the gradient flows to the chosen branch only. */
class Where extends Function {
  forward(cond: Tensor, a: Tensor, b: Tensor) {
    this.save(cond, a, b);
    return d.where(cond, a, b);
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [cond, a, b] = this.savedTensors;
    const zero = d.scalarLike(0, g);
    return [
      null,
      this.needsInputGrad[1] ? sumTo(cond.where(g, zero), a.shape) : null,
      this.needsInputGrad[2] ? sumTo(cond.where(zero, g), b.shape) : null,
    ];
  }
}

/** clamp(x, lo, hi) at the joint broadcast shape: gradient 1 inside [lo, hi] (bounds included), 0 outside, as PyTorch. */
class Clamp extends Function {
  forward(x: Tensor, lo: Tensor, hi: Tensor) {
    this.save(x, lo, hi);
    const shape = broadcastShapes('clamp', x.shape, lo.shape, hi.shape);
    const [bx, blo, bhi] = [x, lo, hi].map((t) => d.broadcastView(t, shape));
    return d.binary('minimum', d.binary('maximum', bx, blo), bhi);
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [x, lo, hi] = this.savedTensors;
    // y = min(max(x, lo), hi): each element's gradient goes to exactly one of x, lo, hi.
    return [
      sumTo(x.ge(lo).logicalAnd(x.le(hi)).where(g, 0), x.shape),
      this.needsInputGrad[1] ? sumTo(x.lt(lo).logicalAnd(lo.le(hi)).where(g, 0), lo.shape) : null,
      this.needsInputGrad[2] ? sumTo(x.gt(hi).logicalOr(lo.gt(hi)).where(g, 0), hi.shape) : null,
    ];
  }
}

const lift = (op: string, fn: Function, a: Operand, b: Operand): Tensor => fn.apply(...d.coerce(op, a, b));

/** b·alpha (PyTorch's `alpha` of add/sub), folded into a number operand so `x.add(1, 2)` stays a scalar op. */
function scaled(op: string, b: Operand, alpha: number | undefined): Operand {
  if (alpha === undefined) return b;
  if (typeof alpha !== 'number' || Number.isNaN(alpha)) throw new ArgumentError(op, `alpha must be a number, got ${String(alpha)}`);
  return b instanceof Tensor ? mul(b, alpha) : Number(b) * alpha;
}
export const add = (a: Operand, b: Operand, alpha?: number): Tensor => lift('add', new AddSub('add'), a, scaled('add', b, alpha));
export const sub = (a: Operand, b: Operand, alpha?: number): Tensor => lift('sub', new AddSub('sub'), a, scaled('sub', b, alpha));
export const mul = (a: Operand, b: Operand): Tensor => lift('mul', new Mul(), a, b);
/** True division: int operands are divided as float32, as PyTorch's `/`. */
export function div(a: Operand, b: Operand): Tensor {
  const [x, y] = d.coerce('div', a, b);
  return new Div().apply(d.toFloat(x), d.toFloat(y));
}
export function pow(a: Operand, b: Operand): Tensor {
  if (a instanceof Tensor && !isFloat(a.dtype) && typeof b === 'number' && Number.isInteger(b) && b < 0) {
    throw new ArgumentError('pow', `integers to negative integer powers are not allowed (a ${a.dtype} base to the power ${b}); cast the base to float first`);
  }
  return lift('pow', new Pow(), a, b);
}
export const maximum = (a: Operand, b: Operand): Tensor => lift('maximum', new Extremum('maximum'), a, b);
export const minimum = (a: Operand, b: Operand): Tensor => lift('minimum', new Extremum('minimum'), a, b);

export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  d.expectTensor('where', cond, 'the condition');
  // Two scalars (torch.where(c, 1, 0)): lift `a` onto cond's backend, as float32 (bool for two booleans).
  const lifted = a instanceof Tensor || b instanceof Tensor ? a : d.scalarLike(a, cond, typeof a === 'boolean' && typeof b === 'boolean' ? 'bool' : 'float32');
  const [x, y] = d.coerce('where', lifted, b);
  return new Where().apply(cond, x, y);
}

export const maskedFill = (x: Tensor, mask: Tensor, value: number): Tensor => {
  d.expectTensor('maskedFill', mask, 'the mask');
  if (mask.dtype !== 'bool') throw new DtypeError('maskedFill', `expected a bool mask, got ${mask.dtype}`);
  d.expectScalar('maskedFill', value, 'the value');
  return where(mask, d.scalarLike(d.storedValue('maskedFill', value, x.dtype), x), x);
};

export function clamp(x: Tensor, min?: number | Tensor, max?: number | Tensor): Tensor {
  if (min === undefined && max === undefined) throw new ArgumentError('clamp', 'expected at least one of min and max');
  const bound = (v: number | Tensor, name: string): Tensor => {
    if (v instanceof Tensor) return v.cast(x.dtype);
    d.expectScalar('clamp', v, name);
    return d.scalarLike(v, x);
  };
  if (!isFloat(x.dtype) && (min === undefined || max === undefined)) {
    // ±Infinity (the missing bound) does not fit an int32: clamp one side only.
    return min === undefined ? minimum(x, bound(max!, 'max')) : maximum(x, bound(min, 'min'));
  }
  return new Clamp().apply(x, bound(min ?? -Infinity, 'min'), bound(max ?? Infinity, 'max'));
}

// ---- comparisons and logic: bool results, no gradient ------------------------------------------
export const lt = (a: Operand, b: Operand): Tensor => d.binaryOf('lt', a, b);
export const le = (a: Operand, b: Operand): Tensor => d.binaryOf('le', a, b);
export const gt = (a: Operand, b: Operand): Tensor => d.binaryOf('gt', a, b);
export const ge = (a: Operand, b: Operand): Tensor => d.binaryOf('ge', a, b);
export const eq = (a: Operand, b: Operand): Tensor => d.binaryOf('eq', a, b);
export const ne = (a: Operand, b: Operand): Tensor => d.binaryOf('ne', a, b);
const asBool = (v: Operand): Operand => (v instanceof Tensor ? d.cast(v, 'bool') : Boolean(v));
export const logicalAnd = (a: Operand, b: Operand): Tensor => d.binaryOf('and', asBool(a), asBool(b));
export const logicalOr = (a: Operand, b: Operand): Tensor => d.binaryOf('or', asBool(a), asBool(b));
export const logicalNot = (a: Tensor): Tensor => d.binaryOf('eq', d.cast(a, 'bool'), false);
