/**
 * Elementwise math composed from the backend's primitives (no new kernel): inverse trigonometric
 * and hyperbolic functions, trunc/frac, xlogy, logaddexp, lerp, addcmul. Where the composition's
 * own derivative would be poor (a rational approximation, a branch), `analytic` pairs the composed
 * value with the exact derivative, written in Tensor ops so that it is differentiable again.
 */
import { Function } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { DtypeError } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import { stack } from './movement.js';
import { logsumexp, sumTo } from './reduce.js';

type Operand = d.TensorLike;

/** A tensor argument as float: int and bool inputs compute in float32, as PyTorch's torch.atan(int). */
export function floatArg(op: string, x: unknown, name = 'the input'): Tensor {
  d.expectTensor(op, x, name);
  return d.toFloat(x);
}

/** Two operands promoted to one float dtype (scalars lifted onto the tensor's backend). */
function floatPair(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  const [x, y] = d.coerce(op, a, b);
  broadcastShapes(op, x.shape, y.shape);
  return [d.toFloat(x), d.toFloat(y)];
}

type Slope = (x: Tensor, y: Tensor) => Tensor;

/**
 * y = value(x), evaluated with Tensor ops while grad mode is off (Function.apply), so none of the
 * approximation's branches reach the graph; the backward is g · slope(x, y), the exact derivative.
 */
class Analytic extends Function {
  constructor(private readonly name: string, private readonly value: (x: Tensor) => Tensor, private readonly slope: Slope) { super(); }
  override get opName(): string { return this.name; }
  forward(x: Tensor): Tensor {
    const y = this.value(x);
    this.save(x, y);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [x, y] = this.savedTensors;
    return [g.mul(this.slope(x, y))];
  }
}

/** An elementwise op with a composed value and an analytic derivative dy/dx = slope(x, y). */
export const analytic = (op: string, value: (x: Tensor) => Tensor, slope: Slope) =>
  (x: Tensor): Tensor => new Analytic(op, value, slope).apply(floatArg(op, x));

/** c[0]·zⁿ + c[1]·zⁿ⁻¹ + … + c[n] by Horner's rule (Cephes' polevl). */
export function polyval(z: Tensor, c: readonly number[]): Tensor {
  let p = z.mul(c[0]).add(c[1]);
  for (let i = 2; i < c.length; i++) p = p.mul(z).add(c[i]);
  return p;
}

// ---- inverse tangent: the one rational approximation every inverse trig function uses ---------------

const TAN_3PI_8 = 2.414213562373095; // tan(3π/8)
// Cephes atan.c: atan(r) = r + r·z·P(z)/Q(z), z = r², for |r| ≤ 0.66 (Q monic); ~1e-16 relative.
const ATAN_P = [-8.750608600031904122785e-1, -1.615753718733365076637e1, -7.500855792314704667340e1, -1.228866684490136173410e2, -6.485021904942025371773e1];
const ATAN_Q = [1, 2.485846490142306297962e1, 1.650270503980010000000e2, 4.328810604912902668951e2, 4.853903996359136964868e2, 1.945506571482613964425e2];

/**
 * atan(x) by Cephes' range reduction of a = |x|: a > tan(3π/8) uses π/2 + atan(−1/a), a > 0.66 uses
 * π/4 + atan((a − 1)/(a + 1)), then the rational approximation on |r| ≤ 0.66; odd in x.
 */
function atanValue(x: Tensor): Tensor {
  const a = x.abs();
  const big = a.gt(TAN_3PI_8);
  const mid = a.gt(0.66);
  const r = big.where(a.reciprocal().neg(), mid.where(a.sub(1).div(a.add(1)), a));
  const z = r.square();
  const atanR = r.mul(z).mul(polyval(z, ATAN_P)).div(polyval(z, ATAN_Q)).add(r);
  const base = big.where(Math.PI / 2, mid.where(x.fullLike(Math.PI / 4), 0));
  return base.add(atanR).mul(x.sign());
}

/** Whether x < 0 or x = −0 (1/−0 = −∞): the sign bit, which decides atan2 on the negative x axis. */
const signBit = (x: Tensor): Tensor => x.lt(0).logicalOr(x.reciprocal().lt(0));

/**
 * atan2(y, x) = atan(y/x), moved by ±π (the sign of y) where x is negative; the two corners where
 * y/x is 0/0 or ∞/∞ take IEEE's values (±0 or ±π; ±π/4 or ±3π/4), as PyTorch.
 */
function atan2Value(y: Tensor, x: Tensor): Tensor {
  const q = atanValue(y.div(x));
  const sy = signBit(y).where(-1, 1).cast(q.dtype);
  const xNeg = signBit(x);
  const turned = xNeg.where(q.add(sy.mul(Math.PI)), q);
  const zeros = y.eq(0).logicalAnd(x.eq(0));
  const infs = y.abs().eq(Infinity).logicalAnd(x.abs().eq(Infinity));
  const corner = zeros.where(xNeg.where(q.fullLike(Math.PI), 0), xNeg.where(q.fullLike(0.75 * Math.PI), Math.PI / 4)).mul(sy);
  return zeros.logicalOr(infs).where(corner, turned);
}

/** ∂atan2/∂y = x/(x² + y²), ∂atan2/∂x = −y/(x² + y²) (NaN at the origin, as PyTorch). */
class Atan2 extends Function {
  forward(y: Tensor, x: Tensor) {
    this.save(y, x);
    return atan2Value(y, x);
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [y, x] = this.savedTensors;
    const gr = g.div(x.square().add(y.square()));
    return [this.needsInputGrad[0] ? sumTo(gr.mul(x), y.shape) : null, this.needsInputGrad[1] ? sumTo(gr.mul(y).neg(), x.shape) : null];
  }
}

/** √((1 − x)(1 + x)) = √(1 − x²) without the cancellation of 1 − x² near ±1. */
const cosOfAsin = (x: Tensor): Tensor => x.neg().add(1).mul(x.add(1)).sqrt();

/** atan(x); d/dx = 1/(1 + x²). */
export const atan = analytic('atan', atanValue, (x) => x.square().add(1).reciprocal());
/** atan2(y, x): the angle of the point (x, y), in (−π, π]. */
export function atan2(y: Operand, x: Operand): Tensor {
  return new Atan2().apply(...floatPair('atan2', y, x));
}
/** asin(x) = atan2(x, √((1 − x)(1 + x))); d/dx = 1/√(1 − x²). NaN outside [−1, 1]. */
export const asin = analytic('asin', (x) => atan2Value(x, cosOfAsin(x)), (x) => cosOfAsin(x).reciprocal());
/** acos(x) = atan2(√((1 − x)(1 + x)), x); d/dx = −1/√(1 − x²). NaN outside [−1, 1]. */
export const acos = analytic('acos', (x) => atan2Value(cosOfAsin(x), x), (x) => cosOfAsin(x).reciprocal().neg());
/** tan(x) = sin(x)/cos(x), composed (its derivative, 1/cos², comes with it). */
export const tan = (x: Tensor): Tensor => { const f = floatArg('tan', x); return f.sin().div(f.cos()); };

// ---- hyperbolic ---------------------------------------------------------------------------------------

/** sinh(x) = (expm1(x) − expm1(−x))/2: no cancellation near 0; composed (d/dx = cosh). */
export const sinh = (x: Tensor): Tensor => { const f = floatArg('sinh', x); return f.expm1().sub(f.neg().expm1()).mul(0.5); };
/** cosh(x) = (eˣ + e⁻ˣ)/2, composed (d/dx = sinh). */
export const cosh = (x: Tensor): Tensor => { const f = floatArg('cosh', x); return f.exp().add(f.neg().exp()).mul(0.5); };

/** Beyond 2²⁸, x² swamps the 1 in √(x² ± 1), and ln(2x) is the value to float64 precision. */
const HUGE = 2 ** 28;

/** asinh(x) = sign(x)·log1p(a + a²/(1 + √(1 + a²))), a = |x| (accurate near 0); d/dx = 1/√(x² + 1). */
export const asinh = analytic('asinh', (x) => {
  const a = x.abs();
  const near = a.add(a.square().div(a.square().add(1).sqrt().add(1))).log1p();
  return a.gt(HUGE).where(a.log().add(Math.LN2), near).mul(x.sign());
}, (x) => x.square().add(1).rsqrt());

/** acosh(x) = log1p(t + √(t(t + 2))), t = x − 1 (accurate near 1); d/dx = 1/√((x − 1)(x + 1)). */
export const acosh = analytic('acosh', (x) => {
  const t = x.sub(1);
  return x.gt(HUGE).where(x.log().add(Math.LN2), t.add(t.mul(t.add(2)).sqrt()).log1p());
}, (x) => x.sub(1).mul(x.add(1)).rsqrt());

/** atanh(x) = log1p(2x/(1 − x))/2 (accurate near 0 and ±1); d/dx = 1/((1 − x)(1 + x)). */
export const atanh = analytic('atanh', (x) => x.mul(2).div(x.neg().add(1)).log1p().mul(0.5),
  (x) => x.neg().add(1).mul(x.add(1)).reciprocal());

// ---- rounding toward zero ------------------------------------------------------------------------------

/** trunc(x): floor for x ≥ 0, ceil below; gradient 0 (int tensors are returned as they are). */
export function trunc(x: Tensor): Tensor {
  d.expectTensor('trunc', x, 'the input');
  return isFloat(x.dtype) ? x.ge(0).where(x.floor(), x.ceil()) : x;
}
/** frac(x) = x − trunc(x), gradient 1; float tensors only (PyTorch has no frac for ints). */
export function frac(x: Tensor): Tensor {
  d.expectTensor('frac', x, 'the input');
  if (!isFloat(x.dtype)) throw new DtypeError('frac', `got a ${x.dtype} tensor, expected float32 or float64`);
  return x.sub(trunc(x));
}

// ---- binary and ternary ----------------------------------------------------------------------------

/**
 * x·log(y), and 0 where x = 0 (unless y is NaN), with PyTorch's gradients: log(y) for x, except 0
 * where x = 0 and y ≤ 0; x/y for y. log sees 1 wherever x = 0 and log(y) is not finite, so those
 * zeros never meet 0·∞ = NaN (PyTorch's gradient wrt y at x = y = 0 is NaN; this one is 0).
 */
export function xlogy(x: Operand, y: Operand): Tensor {
  const [a, b] = floatPair('xlogy', x, y);
  const safe = a.eq(0).logicalAnd(b.le(0).logicalOr(b.eq(Infinity)));
  return a.mul(safe.where(1, b).log());
}

/**
 * log(eᵃ + eᵇ): the max-shifted logsumexp of the broadcast pair, so finite at ±1e4, −∞ + −∞ = −∞,
 * and smooth at a = b (its second derivative there is 1/4, not the 0 that max + log1p(e^−|a−b|) gives).
 */
export function logaddexp(a: Operand, b: Operand): Tensor {
  const [x, y] = floatPair('logaddexp', a, b);
  const shape = broadcastShapes('logaddexp', x.shape, y.shape);
  return logsumexp(stack([x.expand(shape), y.expand(shape)], 0), 0);
}

/**
 * start + weight·(end − start), in PyTorch's two-sided form (end − (end − start)·(1 − weight) for
 * |weight| ≥ 1/2), which is exact at both weight = 0 and weight = 1. weight: a number or a tensor.
 */
export function lerp(start: Tensor, end: Tensor, weight: Tensor | number): Tensor {
  d.expectTensor('lerp', start, 'start');
  d.expectTensor('lerp', end, 'end');
  if (!(weight instanceof Tensor)) d.expectScalar('lerp', weight, 'weight');
  const w = weight instanceof Tensor ? weight : undefined;
  for (const [name, t] of [['end', end], ['weight', w]] as const) {
    if (t && t.dtype !== start.dtype) throw new DtypeError('lerp', `expected ${name} of dtype ${start.dtype} (start's), got ${t.dtype}`);
  }
  if (!isFloat(start.dtype)) throw new DtypeError('lerp', `got ${start.dtype} tensors, expected float32 or float64`);
  broadcastShapes('lerp', start.shape, end.shape, w?.shape ?? []);
  const diff = end.sub(start);
  const fromStart = () => start.add(diff.mul(weight));
  const fromEnd = () => end.sub(diff.mul(w ? w.neg().add(1) : 1 - (weight as number)));
  if (w === undefined) return Math.abs(weight as number) < 0.5 ? fromStart() : fromEnd();
  return w.abs().lt(0.5).where(fromStart(), fromEnd());
}

/** x + value·t1·t2 (PyTorch's addcmul), broadcasting all three. */
export function addcmul(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  d.expectTensor('addcmul', x, 'the input');
  d.expectTensor('addcmul', t1, 'tensor1');
  d.expectTensor('addcmul', t2, 'tensor2');
  d.expectScalar('addcmul', value, 'value');
  broadcastShapes('addcmul', x.shape, t1.shape, t2.shape);
  return x.add(t1.mul(t2).mul(value));
}
