import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  gamma: opt.number(1e-6, 'γ: the weight of the frequency penalty.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type FourierHeadFreqRegOptions = OptionsOf<typeof options>;

/**
 * The Fourier head's high-frequency regulariser: smooths the learned density by penalising its high-frequency
 * Fourier coefficients quadratically in the frequency.
 *
 * ℓₙ = γ·Σ_{k=1..K} k²·|c_nk|², |c|² = Re(c)² + Im(c)² (pass only the real parts for real coefficients). The
 * coefficients are those the head predicts for each input, so the values are per sample, averaged over the batch.
 *
 * @param input real parts of the coefficients c_1..c_K [N, K] (the constant term c_0 excluded)
 * @param imag imaginary parts [N, K] (optional: 0)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Gillman et al., "Fourier Head: Helping Large Language Models Learn Complex Probability Distributions", ICLR 2025
 */
export function fourierHeadFreqReg(...args: Call<[input: Tensor, imag?: Tensor], FourierHeadFreqRegOptions>): Tensor {
  const [re, im, { gamma, reduction }] = entry.check(args);
  const k = re.shape[1];
  const freq = re.newOnes([k]).cumsum(0).square();
  const power = im ? re.square().add(im.square()) : re.square();
  return applyReduction(power.mul(freq).sum(-1).mul(gamma), { reduction });
}

export const entry = defineLoss({
  id: 'fourier-head-freq-reg',
  fn: fourierHeadFreqReg,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
    { name: 'imag', shape: ['N', 'K'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'R = γ·Σ_k k²|c_k|² per input over the predicted coefficients c_1..c_K, averaged over the batch; γ = 1e-6.',
});
