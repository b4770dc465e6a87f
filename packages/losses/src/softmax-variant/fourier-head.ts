import { ArgumentError, arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  numBins: opt.integer(50, 'm, the number of equal bins of [−1, 1] (centres b_j = −1 + (2j + 1)/m).', '[1, inf)'),
  log: opt.boolean(false, 'Return log q (what the NLL −log q_y needs) instead of q.'),
};
export type FourierHeadOptions = OptionsOf<typeof options>;

/**
 * Fourier head: a categorical distribution over m bins of [−1, 1] read off a non-negative Fourier-series density, so
 * neighbouring bins get similar probabilities.
 *
 * A linear layer gives complex coefficients a_l = (wRe h + bRe)_l + i(wIm h + bIm)_l, l = 0..F; their autocorrelation
 * c_k = Σ_l a_l conj(a_{l+k}) makes f(z) = 1/2 + Re Σ_{k=1}^F (c_k/c_0) e^{iπkz} a density on [−1, 1]; the bins get
 * q_j = f(b_j)/Σ_j' f(b_j'). Stable form: by Fejér–Riesz, f(z) = |A(z)|²/(2c_0) with A(z) = Σ_l a_l e^{−iπlz}, so
 * q_j = |A(b_j)|²/Σ_j' |A(b_j')|² (c_0 cancels) is a sum of squares, never negative, and log q_j = log|A(b_j)|² −
 * log Σ_j' |A(b_j')|². The cosines and sines are built from arange on the input's backend.
 *
 * @param h hidden states [N, D]
 * @param wRe, wIm weights of the real and imaginary parts [M, D], M = F + 1 (num_frequencies + 1, 9 in the paper's default)
 * @param bRe, bIm their biases [M]
 * @param opts numBins (default 50), log (default false)
 * @returns q (or log q) [N, numBins], rows summing to 1
 * @see Gillman et al., Fourier Head: Helping Large Language Models Learn Complex Probability Distributions, ICLR 2025
 *
 * Reading: bin probabilities q_j ∝ f(b_j) at the centres of m equal bins of [−1, 1] (numBins has no canonical default:
 * 50 here); the linear layer's real and imaginary parts are separate weights; the high-frequency regulariser is a
 * separate objective. The NLL is −log q_y: nll-loss on the `log` output.
 */
export function fourierHead(...args: Call<[h: Tensor, wRe: Tensor, wIm: Tensor, bRe: Tensor, bIm: Tensor], FourierHeadOptions>): Tensor {
  const [h, wRe, wIm, bRe, bIm, { numBins, log }] = entry.check(args);
  if (!Number.isInteger(numBins) || numBins < 1) throw new ArgumentError('fourierHead', `numBins must be a positive integer, got ${numBins}`);
  const ar = h.matmul(wRe.transpose(-2, -1)).add(bRe); // [N, M]
  const ai = h.matmul(wIm.transpose(-2, -1)).add(bIm);
  const m = wRe.shape[0];
  const on = { backend: h.backendName, dtype: h.dtype };
  const centres = arange(numBins, undefined, 1, on).mul(2).add(1).div(numBins).sub(1); // b_j [numBins]
  const angle = arange(m, undefined, 1, on).reshape([m, 1]).mul(centres.reshape([1, numBins])).mul(Math.PI); // πl·b_j [M, m]
  const [cos, sin] = [angle.cos(), angle.sin()];
  // A(b) = Σ_l (ar + i·ai)(cos − i·sin): Re = ar·cos + ai·sin, Im = ai·cos − ar·sin.
  const re = ar.matmul(cos).add(ai.matmul(sin));
  const im = ai.matmul(cos).sub(ar.matmul(sin));
  const power = re.square().add(im.square()); // |A(b_j)|² [N, m]
  const total = power.sum(-1, true);
  return log ? power.log().sub(total.log()) : power.div(total);
}

export const entry = defineLoss({
  id: 'fourier-head',
  fn: fourierHead,
  args: [
    { name: 'h', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'wRe', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'wIm', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'bRe', shape: ['M'], dtype: 'float', domain: 'real' },
    { name: 'bIm', shape: ['M'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'Bin probabilities q_j ∝ f(b_j) at the centres of m equal bins of [−1, 1] (numBins has no canonical default: 50), computed as |A(b_j)|²/Σ|A|² (Fejér–Riesz; equal to the autocorrelation form); separate real/imaginary weights for the linear layer; the regulariser is a separate objective; the NLL is nll-loss on the log output.',
});
