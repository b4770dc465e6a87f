import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { ssimLossPerImage } from '../parts/overlap-ssim.js';

const options = {
  window: opt.integer(11, 'Width of the square Gaussian window (odd; zero padding of window // 2 keeps the map size).', '[1, inf)'),
  sigma: opt.number(1.5, 'σ of the Gaussian window.', '(0, inf)'),
  C1: opt.number(0.0001, 'C1 = (0.01·L)² for data range L = 1.', '(0, inf)'),
  C2: opt.number(0.0009, 'C2 = (0.03·L)² for data range L = 1.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SsimLossOptions = OptionsOf<typeof options>;

/**
 * SSIM loss: one minus the mean structural similarity over Gaussian windows.
 *
 * μ, σ² and σ_pg are Gaussian-weighted local statistics (core's conv2d, depthwise, zero padding);
 * SSIM = ((2μ_pμ_g + C1)(2σ_pg + C2))/((μ_p² + μ_g² + C1)(σ_p² + σ_g² + C2)); ℓ = 1 − mean SSIM per image.
 * C1, C2 > 0 keep the ratio finite on flat regions. Variances are formed as E[x²] − μ² (pytorch_ssim's form).
 *
 * @param input predicted maps [N, C, H, W] in [0, 1]
 * @param target ground-truth maps [N, C, H, W] in [0, 1]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Image Quality Assessment: From Error Visibility to Structural Similarity", TIP 2004;
 *   Qin et al., "Boundary-Aware Segmentation Network for Mobile and Web Applications" (BASNet), 2021
 */
export function ssimLoss(...args: Call<[input: Tensor, target: Tensor], SsimLossOptions>): Tensor {
  const [input, target, { window, sigma, C1, C2, reduction }] = entry.check(args);
  return applyReduction(ssimLossPerImage(input, target, { window, sigma, C1, C2 }), { reduction });
}

export const entry = defineLoss({
  id: 'ssim-loss',
  fn: ssimLoss,
  args: [
    { name: 'input', shape: ['N', 'C', 'H', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', 'H', 'W'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
});
