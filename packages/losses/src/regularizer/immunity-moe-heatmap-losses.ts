import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  bins: opt.integer(8, 'B: the bins of the soft histogram the heatmap values in [0, 1] fall into (not in the abstract; 8 bins of width 1/8).', '[2, inf)'),
  sigma: opt.number(0.1, 'σ: the width of each bin\'s Gaussian kernel (about a bin width, so a value spreads over its neighbouring bins).', '(0, inf)'),
  beta: opt.number(1, 'β: the weight of the position-stability term beside the MI term (not in the abstract).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type ImmunityMoeHeatmapLossesOptions = OptionsOf<typeof options>;

/**
 * Immunity's heatmap losses for a mixture of experts: a mutual-information (MI) loss that makes the experts' Grad-CAM
 * heatmaps of one input differ (diverse experts) and a position-stability loss that keeps each expert's heatmap where
 * it was when the input is attacked (causal, not spurious, evidence).
 *
 * Per sample, each heatmap value h ∈ [0, 1] is softly binned, a_b(h) = softmax_b(−(h − c_b)²/(2σ²)), c_b = (b + ½)/B;
 * the joint histogram of experts e, f is P_ef(b, b′) = mean_pixels a_b(h_e)·a_b′(h_f), with marginals P_e, P_f, and
 * MI_ef = Σ P_ef·(log P_ef − log P_e − log P_f) (logs of values floored at 1e-30). The position of a heatmap is its
 * centroid μ_e = Σ_pixels h·(row, col)/(Σ h + 1e-8) in [0, 1]² coordinates. ℓ = mean_{e<f} MI_ef + β·mean_e ‖μ_e − μ_e^adv‖².
 *
 * @param heatmaps Grad-CAM heatmaps of the E experts on the clean inputs, each scaled to [0, 1] [N, E, H, W]
 * @param heatmapsAdv the same experts' heatmaps on the adversarial inputs [N, E, H, W]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see "Enhancing the \"Immunity\" of Mixture-of-Experts Networks for Adversarial Defense"
 */
export function immunityMoeHeatmapLosses(...args: Call<[heatmaps: Tensor, heatmapsAdv: Tensor], ImmunityMoeHeatmapLossesOptions>): Tensor {
  const [h, hAdv, { bins, sigma, beta, reduction }] = entry.check(args);
  const [n, e, rows, cols] = h.shape;
  const flat = h.reshape([n, e, rows * cols, 1]);
  const centres = arange(bins, undefined, 1, { dtype: h.dtype, backend: h.backendName }).add(0.5).div(bins);
  const soft = flat.sub(centres).square().div(-2 * sigma * sigma).softmax(-1); // [N, E, P, B]
  const marginal = soft.mean(2); // [N, E, B]
  const joint = soft.transpose(2, 3).unsqueeze(2).matmul(soft.unsqueeze(1)).div(rows * cols); // [N, E, E, B, B]
  const log = (t: Tensor) => t.clamp(1e-30).log();
  const ratio = log(joint).sub(log(marginal).unsqueeze(2).unsqueeze(-1)).sub(log(marginal).unsqueeze(1).unsqueeze(-2));
  const mi = joint.mul(ratio).sum([-2, -1]); // [N, E, E]
  const pairs = (e * (e - 1)) / 2;
  let loss = pairs > 0 ? mi.mul(h.newOnes([e, e]).triu(1)).sum([1, 2]).div(pairs) : h.sum([1, 2, 3]).mul(0);
  const grid = (size: number) => arange(size, undefined, 1, { dtype: h.dtype, backend: h.backendName }).div(Math.max(size - 1, 1));
  const centroid = (t: Tensor) => {
    const mass = t.sum([2, 3]).add(1e-8);
    return [t.sum(3).mul(grid(rows)).sum(2).div(mass), t.sum(2).mul(grid(cols)).sum(2).div(mass)];
  };
  const [r0, c0] = centroid(h), [r1, c1] = centroid(hAdv);
  const shift = r0.sub(r1).square().add(c0.sub(c1).square()).mean(1); // [N]
  loss = loss.add(shift.mul(beta));
  return applyReduction(loss, { reduction });
}

export const entry = defineLoss({
  id: 'immunity-moe-heatmap-losses',
  fn: immunityMoeHeatmapLosses,
  args: [
    { name: 'heatmaps', shape: ['N', 'E', 'H', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'heatmapsAdv', shape: ['N', 'E', 'H', 'W'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
  reading: 'The heatmaps are arguments (the caller computes each expert\'s Grad-CAM with createGraph so the losses reach the weights); MI is estimated from a Gaussian-kernel soft joint histogram of pixel values for every expert pair, and position stability is the squared shift of each heatmap\'s centroid between the clean and the adversarial input.',
});
