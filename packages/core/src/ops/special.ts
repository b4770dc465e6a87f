/**
 * Special functions composed from primitives: lgamma (Lanczos), digamma and trigamma (recurrence
 * shift + asymptotic series), erfinv (an initial approximation polished by Halley steps on erf).
 * Each reflects x < 1/2 to 1 − x, so the approximations only ever see arguments ≥ 1/2.
 */
import type { Tensor } from '../tensor.js';
import { analytic, polyval } from './math.js';

const LOG_PI = Math.log(Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** 1 − x where x < 1/2, else x: the argument the approximations below see. */
const reflected = (x: Tensor, reflect: Tensor): Tensor => reflect.where(x.neg().add(1), x);

/** π·(x − round(x)): sin and cos of it equal ±sin(πx), ±cos(πx), and the subtraction is exact. */
const piFrac = (x: Tensor): Tensor => x.sub(x.round()).mul(Math.PI);

// ---- log Γ --------------------------------------------------------------------------------------------

// Lanczos coefficients for g = 7, n = 9 (Godfrey): Γ(z + 1) = √(2π)·t^(z + ½)·e^(−t)·A(z), t = z + g + ½.
const LANCZOS_G = 7;
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** log Γ(z) for z ≥ 1/2 by Lanczos' series, ~1e-15 relative in Γ. */
function lanczosLgamma(z: Tensor): Tensor {
  const zm1 = z.sub(1);
  let a = z.fullLike(LANCZOS[0]);
  for (let i = 1; i < LANCZOS.length; i++) a = a.add(zm1.add(i).reciprocal().mul(LANCZOS[i]));
  const t = zm1.add(LANCZOS_G + 0.5);
  return zm1.add(0.5).mul(t.log()).sub(t).add(a.log()).add(HALF_LOG_2PI);
}

/** log|Γ(x)|, with Γ(x)Γ(1 − x) = π/sin(πx) for x < 1/2; +∞ at 0, the negative integers and ±∞. */
function lgammaValue(x: Tensor): Tensor {
  const reflect = x.lt(0.5);
  const lz = lanczosLgamma(reflected(x, reflect));
  const viaReflection = piFrac(x).sin().abs().log().neg().add(LOG_PI).sub(lz);
  return x.abs().eq(Infinity).where(Infinity, reflect.where(viaReflection, lz));
}

// ---- ψ and ψ′ -----------------------------------------------------------------------------------------

/** Recurrence shift: ψ⁽ⁿ⁾(z) from ψ⁽ⁿ⁾(z + 8), where the asymptotic series' next term is below 1e-15. */
const SHIFT = 8;

/** ψ(w) ~ ln w − 1/(2w) − Σₖ B₂ₖ/(2k·w²ᵏ), k = 1..7, as a polynomial in 1/w² (highest power first). */
const DIGAMMA_SERIES = [1 / 12, -691 / 32760, 1 / 132, -1 / 240, 1 / 252, -1 / 120, 1 / 12, 0];
/** ψ′(w) ~ 1/w + 1/(2w²) + Σₖ B₂ₖ/w²ᵏ⁺¹, k = 1..7: the sum as (1/w)·polynomial in 1/w². */
const TRIGAMMA_SERIES = [7 / 6, -691 / 2730, 5 / 66, -1 / 30, 1 / 42, -1 / 30, 1 / 6, 0];

/** ψ(x): ψ(z) = ψ(z + 8) − Σ 1/(z + k); reflection ψ(x) = ψ(1 − x) − π·cot(πx); NaN at the poles x = −1, −2, … */
function digammaValue(x: Tensor): Tensor {
  const reflect = x.lt(0.5);
  const z = reflected(x, reflect);
  let shift = z.reciprocal();
  for (let k = 1; k < SHIFT; k++) shift = shift.add(z.add(k).reciprocal());
  const w = z.add(SHIFT);
  const psiZ = w.log().sub(w.mul(2).reciprocal()).sub(polyval(w.square().reciprocal(), DIGAMMA_SERIES)).sub(shift);
  const r = piFrac(x);
  const viaReflection = psiZ.sub(r.cos().div(r.sin()).mul(Math.PI));
  const pole = x.lt(0).logicalAnd(x.eq(x.round()));
  return pole.where(NaN, reflect.where(viaReflection, psiZ));
}

/**
 * ψ′(x), composed so that it is differentiable itself (ψ″ for digamma's second derivative):
 * ψ′(z) = ψ′(z + 8) + Σ 1/(z + k)²; reflection ψ′(x) = π²/sin²(πx) − ψ′(1 − x).
 */
function trigamma(x: Tensor): Tensor {
  const reflect = x.lt(0.5);
  const z = reflected(x, reflect);
  let shift = z.square().reciprocal();
  for (let k = 1; k < SHIFT; k++) shift = shift.add(z.add(k).square().reciprocal());
  const iw = z.add(SHIFT).reciprocal();
  const psi1Z = iw.add(iw.square().mul(0.5)).add(iw.mul(polyval(iw.square(), TRIGAMMA_SERIES))).add(shift);
  // The sine is 1 off the reflected branch, so where's zero gradient never meets 1/sin² = ∞ at integers.
  const s = reflect.where(piFrac(x).sin(), 1);
  return reflect.where(s.square().reciprocal().mul(Math.PI * Math.PI).sub(psi1Z), psi1Z);
}

/** ψ(x) = d/dx log Γ(x); its derivative is trigamma ψ′(x). */
export const digamma = analytic('digamma', digammaValue, (x) => trigamma(x));
/** log|Γ(x)| (Lanczos, reflected below 1/2); its derivative is ψ(x). */
export const lgamma = analytic('lgamma', lgammaValue, (x) => digamma(x));

// ---- erf⁻¹ ----------------------------------------------------------------------------------------------

// Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), single precision: erfinv(y) ≈ y·p(w),
// w = −log((1 − y)(1 + y)), with p a polynomial in w − 2.5 (w < 5) or √w − 3; relative error ~1e-7.
const GILES_CENTRAL = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 2.1858087e-4, -1.25372503e-3, -4.17768164e-3, 2.46640727e-1, 1.50140941];
const GILES_TAIL = [-2.00214257e-4, 1.00950558e-4, 1.34934322e-3, -3.67342844e-3, 5.73950773e-3, -7.6224613e-3, 9.43887047e-3, 1.00167406, 2.83297682];
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf⁻¹(y): Giles' approximation, then two Halley steps on erf(x) = y (erf″ = −2x·erf′, so the
 * step is Δ/(1 + xΔ), Δ = (erf(x) − y)/erf′(x)); each step triples the correct digits. ±∞ at ±1.
 */
function erfinvValue(y: Tensor): Tensor {
  const w = y.neg().add(1).mul(y.add(1)).log().neg();
  const central = w.lt(5);
  const u = central.where(w.sub(2.5), w.sqrt().sub(3));
  let x = central.where(polyval(u, GILES_CENTRAL), polyval(u, GILES_TAIL)).mul(y);
  for (let step = 0; step < 2; step++) {
    const delta = x.erf().sub(y).div(x.square().neg().exp().mul(TWO_OVER_SQRT_PI));
    x = x.sub(delta.div(delta.mul(x).add(1)));
  }
  return y.abs().eq(1).where(y.mul(Infinity), x);
}

/** erf⁻¹(y) for y in [−1, 1] (NaN outside); d/dy = (√π/2)·e^{x²}, x = erf⁻¹(y). */
export const erfinv = analytic('erfinv', erfinvValue, (_y, x) => x.square().exp().mul(Math.sqrt(Math.PI) / 2));
