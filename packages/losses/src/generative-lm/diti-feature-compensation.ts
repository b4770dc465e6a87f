import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type DitiFeatureCompensationOptions = OptionsOf<typeof options>;

/**
 * The mask that keeps the first `kept` of K ordered feature chunks per sample: features [N, K, d] → [N, K, d] with
 * chunks ≥ keptᵢ zeroed. DiTi conditions the frozen diffusion model at step t on mask_{≤t}·f(x), keptᵢ the
 * time-step group of tᵢ (e.g. ⌈tᵢ·K/T⌉): build the condition with it before calling the model.
 */
export function ditiFeatureMask(features: Tensor, kept: Tensor): Tensor {
  const k = features.shape[1];
  const keep = arange(0, k, 1, { backend: features.backendName }).unsqueeze(0).lt(kept.unsqueeze(-1));
  return keep.unsqueeze(-1).where(features, 0);
}

/**
 * DiTi's time-step feature compensation loss: the denoising error of a frozen diffusion model conditioned on the
 * cumulative time-step-specific features of the encoder being trained.
 *
 * x_t = √ᾱ_t·x + √(1 − ᾱ_t)·ε; ℓᵢ = ‖ε − ε_θ(x_t, t, mask_{≤t}·f(x))‖² (sum over elements), mask_{≤t} keeping the
 * feature chunks of steps 1..t (`ditiFeatureMask`). The frozen ε_θ and the encoder f are the caller's; only f (and
 * the conditioning adapter) receives the gradient, through ε_θ's output.
 *
 * @param input the frozen model's noise prediction ε_θ(x_t, t, mask_{≤t}·f(x)) [N, ...]
 * @param noise the ε used to build x_t [N, ...]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yue et al., "Exploring Diffusion Time-steps for Unsupervised Representation Learning", ICLR 2024
 */
export function ditiFeatureCompensation(...args: Call<[input: Tensor, noise: Tensor], DitiFeatureCompensationOptions>): Tensor {
  const [input, noise, { reduction }] = entry.check(args);
  return applyReduction(noise.sub(input).reshape([input.shape[0], -1]).square().sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'diti-feature-compensation',
  fn: ditiFeatureCompensation,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'noise', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The loss given the frozen model\'s output: ‖ε − ε_θ‖² per sample, the conditioning on the first t of K ordered feature chunks built with the exported ditiFeatureMask; how ε_θ consumes the features and the chunk-to-step map are the caller\'s (not in the abstract).',
});
