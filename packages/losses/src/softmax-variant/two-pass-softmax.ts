import { pow, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
  blockSize: opt.integer(256, 'Elements per accumulation step of pass 1 (a kernel\'s lane or tile width).', '[1, inf)'),
};
export type TwoPassSoftmaxOptions = OptionsOf<typeof options>;

// ln 2 split for Cody–Waite range reduction: e·LN2_HI is exact for |e| < 2¹⁵, so x − e·ln 2 keeps its low bits.
const LN2_HI = 0.693359375;
const LN2_LO = Math.LN2 - LN2_HI;

/**
 * Softmax by the Two-Pass algorithm: exp(x) held as a (mantissa, exponent) pair, so no max pass is needed.
 *
 * Pass 1 writes exp(xᵢ) = mᵢ·2^eᵢ with eᵢ = round(xᵢ·log₂e) and mᵢ = exp(xᵢ − eᵢ·ln 2) ∈ [2^−½, 2^½], and accumulates
 * Σ exp(xᵢ) as a pair (M, E) block by block: E' = max(E, E_B), M' = M·2^(E − E') + Σ_{i∈B} mᵢ·2^(eᵢ − E'). Pass 2
 * returns yᵢ = mᵢ·2^(eᵢ − E)/M. The result EQUALS softmax (to rounding); nothing overflows since every mantissa is
 * about 1 and every power of two has a non-positive exponent. What the structure buys on hardware: two reads of x
 * instead of the three-pass softmax's three (max, sum, normalise), which is the cost on out-of-cache, bandwidth-bound
 * inputs. The exponents are integers (round has no gradient), so the gradient is softmax's exactly.
 *
 * @param x scores [..., n]
 * @param opts dim (default −1), blockSize (default 256)
 * @returns softmax(x) along dim, shaped like x
 * @see Dukhan & Ablavatski, The Two-Pass Softmax Algorithm, arXiv 2020
 */
export function twoPassSoftmax(...args: Call<[x: Tensor], TwoPassSoftmaxOptions>): Tensor {
  const [x, { dim, blockSize }] = entry.check(args);
  if (x.dim(dim) === 0) return x.zerosLike(); // an empty axis: nothing to normalise
  // Pass 1: per element (m, e), per block (Σ m·2^(e − E_B), E_B), merged into the running (M, E).
  const e = x.detach().mul(Math.LOG2E).round();
  const mantissa = x.sub(e.mul(LN2_HI)).sub(e.mul(LN2_LO)).exp();
  const [m0, ...mRest] = mantissa.split(blockSize, dim);
  const [e0, ...eRest] = e.split(blockSize, dim);
  let bigE = e0.amax(dim, true);
  let bigM = m0.mul(pow(2, e0.sub(bigE))).sum(dim, true);
  mRest.forEach((mb, i) => {
    const next = bigE.maximum(eRest[i].amax(dim, true));
    bigM = bigM.mul(pow(2, bigE.sub(next))).add(mb.mul(pow(2, eRest[i].sub(next))).sum(dim, true));
    bigE = next;
  });
  // Pass 2: yᵢ = mᵢ·2^(eᵢ − E) / M.
  return mantissa.mul(pow(2, e.sub(bigE))).div(bigM);
}

export const entry = defineLoss({
  id: 'two-pass-softmax',
  fn: twoPassSoftmax,
  args: [{ name: 'x', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
