import { type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  numBins: opt.integer(11, 'M: the number of histogram bins (the code\'s --n_bins default).', '[2, 256]'),
  binScale: opt.oneOf(['linear', 'log'], 'linear', "Bin offsets b: 'linear' = linspace(0, 5, M) (the code's default 'line'); 'log' = logspace(0, log₁₀6, M) − 1."),
  inlierStd: opt.number(3, 'k: the per-pixel term is averaged over inliers |e − μ_e| ≤ k·σ_e (the code\'s --inliers 3, soft mask); 0 keeps every valid pixel.', '[0, inf)'),
  lamKl: opt.number(1, 'λ: the weight of KL(H_e ‖ H_s) (the code adds it unweighted).', '[0, inf)'),
};
export type ErrorDistributionKlStereoOptions = OptionsOf<typeof options>;

/** The bin offsets b [M] of the code's UC loss. */
function binOffsets(m: number, scale: 'linear' | 'log'): Float64Array {
  const top = Math.log10(6);
  return Float64Array.from({ length: m }, (_, k) => (scale === 'log' ? 10 ** ((top * k) / (m - 1)) - 1 : (5 * k) / (m - 1)));
}

/** The soft histogram of x [P] over bin centres c [M], weighted by w [P]: Σᵢ wᵢ·softmax_k(10·exp(−(c_k − xᵢ)²/5)) / Σ w. */
function softHistogram(x: Tensor, centres: Tensor, w: Tensor, count: Tensor): Tensor {
  const a = centres.unsqueeze(0).sub(x.unsqueeze(1)).square().div(-5).exp().mul(10).softmax(1);
  return a.mul(w.unsqueeze(1)).sum(0).div(count);
}

/**
 * Joint disparity/uncertainty loss of SEDNet: a Laplacian NLL per pixel plus the KL divergence between the soft
 * histograms of the disparity errors and of the predicted uncertainties.
 *
 * e = |d̂ − d|, s = exp(log σ) over valid pixels; bins c_k = μ_e + b_k·σ_e (mean and unbiased std of e over the
 * valid pixels, gradients flow through them); each value x goes to the bins by softmax_k(10·exp(−(c_k − x)²/5)),
 * H = the mean assignment. L = mean_{inliers} (e/s + log s) + λ·Σ_k H_e,k·(log H_e,k − log H_s,k). Inliers:
 * |e − μ_e| ≤ k·σ_e (≤ where the code has <, so a lone pixel is its own inlier; every valid pixel when none is). σ_e = √(var + 1e-12), so a single valid pixel stays finite.
 * Follows lly00412/SEDNet models/loss.py (UC_loss, soft_assignment) for one output scale.
 *
 * @param input predicted disparity d̂ [N, ...]
 * @param logSigma predicted log-uncertainty log σ [N, ...] (the network's raw output, as in the code)
 * @param target ground-truth disparity d [N, ...]
 * @param mask valid pixels [N, ...] (1 = valid, e.g. 0 < d < maxdisp)
 * @returns a scalar over the batch's valid pixels
 * @see Chen et al., "Learning the Distribution of Errors in Stereo Matching for Joint Disparity and Uncertainty Estimation", CVPR 2023
 */
export function errorDistributionKlStereo(...args: Call<[input: Tensor, logSigma: Tensor, target: Tensor, mask: Tensor], ErrorDistributionKlStereoOptions>): Tensor {
  const [input, logSigma, target, mask, { numBins, binScale, inlierStd, lamKl }] = entry.check(args);
  const flat = (t: Tensor) => t.reshape([t.size]);
  const w = flat(mask.cast(input.dtype));
  const count = w.sum();
  const e = flat(input.sub(target).abs());
  const logS = flat(logSigma);
  const mu = e.mul(w).sum().div(count);
  const std = e.sub(mu).square().mul(w).sum().div(count.sub(1).clamp(1)).add(1e-12).sqrt();
  const offsets = tensor(binOffsets(numBins, binScale), { dtype: input.dtype, backend: input.backendName });
  const centres = offsets.mul(std).add(mu);
  const hE = softHistogram(e, centres, w, count);
  const hS = softHistogram(logS.exp(), centres, w, count);
  const kl = hE.mul(hE.log().sub(hS.log())).sum();
  let wIn = w;
  if (inlierStd > 0) {
    const inl = e.sub(mu).abs().le(std.mul(inlierStd)).cast(input.dtype).mul(w);
    wIn = inl.sum().eq(0).where(w, inl);
  }
  const nll = e.mul(logS.neg().exp()).add(logS);
  return nll.mul(wIn).sum().div(wIn.sum()).add(kl.mul(lamKl));
}

export const entry = defineLoss({
  id: 'error-distribution-kl-stereo',
  fn: errorDistributionKlStereo,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'logSigma', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'mask', shape: ['N', '...'], dtype: 'float', domain: 'mask' },
  ],
  options,
  output: 'batch',
  reading: "The authors' UC loss for one output scale: per-pixel Laplacian NLL e/s + log s (s = exp of the log-uncertainty output) averaged over the 3σ inliers, plus KL(H_e ‖ H_s) of soft histograms whose bins are placed at μ_e + b·σ_e with the code's softmax(10·exp(−d²/5)) assignment; the catalog's smooth-L1 and separate λ_u terms are not in the code and are left out.",
});
