import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  binWidth: opt.number(null, 'w: the kernel width (null: the spacing of the first two bin centres, so triangular kernels tile the range).', '(0, inf)'),
  kernel: opt.oneOf(['triangular', 'gaussian'] as const, 'triangular', 'k(u): triangular max(0, 1 − |u|) (linear interpolation between centres) or Gaussian exp(−u²/2).'),
  eps: opt.number(1e-8, 'ε added to the total before normalising, so an empty histogram stays finite.', '(0, inf)'),
};
export type SoftHistogramOptions = OptionsOf<typeof options>;

/**
 * Soft (differentiable) histogram: every value spreads a unit of mass over nearby bins by a kernel, so the
 * histogram has a gradient with respect to the values.
 *
 * h_m = Σ_n k((x_n − c_m)/w), then h / (Σ_m h_m + ε). Reading: the triangular kernel with w the bin spacing is
 * linear interpolation between the two nearest centres (mass 1 per value inside the range); values beyond the
 * outer centres by more than w add nothing. The triangular kernel's kinks at u ∈ {−1, 0, 1} are measure-zero
 * points of its gradient.
 *
 * @param input values x [N]
 * @param centres bin centres c [M] (ascending)
 * @returns the normalised histogram [M]
 * @see Chen et al., "Learning the Distribution of Errors in Stereo Matching for Joint Disparity and
 *   Uncertainty Estimation", CVPR 2023
 */
export function softHistogram(...args: Call<[input: Tensor, centres: Tensor], SoftHistogramOptions>): Tensor {
  const [input, centres, { binWidth, kernel, eps }] = entry.check(args);
  const w = binWidth ?? (centres.shape[0] > 1 ? centres.slice(0, 1, 2).sub(centres.slice(0, 0, 1)).abs().item() : 1);
  const u = input.unsqueeze(1).sub(centres.detach().unsqueeze(0)).div(w); // [N, M]
  const k = kernel === 'triangular' ? u.abs().neg().add(1).relu() : u.square().mul(-0.5).exp();
  const h = k.sum(0);
  return h.div(h.sum().add(eps));
}

export const entry = defineLoss({
  id: 'soft-histogram',
  fn: softHistogram,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'centres', shape: ['M'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'Kernel density on fixed bin centres, normalised to sum 1 (+ε); the default width is the centre spacing, which makes the triangular kernel linear interpolation.',
});
