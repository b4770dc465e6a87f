import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  eps: opt.number(1e-5, 'ε added to the batch variance before its square root (BatchNorm\'s ε).', '(0, inf)'),
};
export type BnPriorInversionOptions = OptionsOf<typeof options>;

/**
 * BatchNorm-prior term of network inversion: images optimised to match a trained network's stored BatchNorm
 * statistics, layer by layer (used to synthesise face images from a trained ArcFace network).
 *
 * For one BN layer with input activations a [N, C, ...]: μ_c, σ_c = the per-channel mean and √(Var + ε) over
 * the batch and the spatial dims (population variance, as BN normalises); R = ‖μ − running_mean‖² + ‖σ −
 * √running_var‖². Wiring: register a hook on every BN layer of the frozen network to collect its input on the
 * batch of optimised images, sum this entry over the layers, add λ times it to the identity loss (ArcFace/CE
 * towards the target identity, or 1 − cos to a target feature), and step on the images only. Reading: the
 * squared L2 distances of means and of standard deviations (the catalog's; DeepInversion's code uses
 * unsquared norms and variances), with λ the caller's.
 *
 * @param activations the BN layer's input on the optimised batch [N, C, ...]
 * @param runningMean the layer's stored running mean [C]
 * @param runningVar the layer's stored running variance [C] (non-negative)
 * @returns a scalar
 * @see Deng et al., "ArcFace: Additive Angular Margin Loss for Deep Face Recognition", CVPR 2019 / TPAMI 2022;
 *   Yin et al., "Dreaming to Distill: Data-free Knowledge Transfer via DeepInversion", CVPR 2020
 */
export function bnPriorInversion(...args: Call<[activations: Tensor, runningMean: Tensor, runningVar: Tensor], BnPriorInversionOptions>): Tensor {
  const [activations, runningMean, runningVar, { eps }] = entry.check(args);
  const dims = [0, ...Array.from({ length: activations.ndim - 2 }, (_, i) => i + 2)];
  const mean = activations.mean(dims);
  const std = activations.var(dims, { correction: 0 }).add(eps).sqrt();
  const stored = runningVar.detach().clamp(0).sqrt();
  return mean.sub(runningMean.detach()).square().sum().add(std.sub(stored).square().sum());
}

export const entry = defineLoss({
  id: 'bn-prior-inversion',
  fn: bnPriorInversion,
  args: [
    { name: 'activations', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real' },
    { name: 'runningMean', shape: ['C'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'runningVar', shape: ['C'], dtype: 'float', domain: 'positive', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'Per BN layer: ‖μ − running_mean‖² + ‖√(Var + ε) − √running_var‖² over batch and spatial dims; the sum over layers, λ and the identity loss are the caller\'s.',
});
