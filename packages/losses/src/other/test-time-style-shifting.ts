import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  threshold: opt.number(0, 'τ: a sample whose style is within τ of some source style is left as it is (the paper tunes τ; 0: always shift to the nearest source style).', '[0, inf)'),
  eps: opt.number(1e-5, 'ε added to the spatial variance before the square root (AdaIN\'s).', '(0, inf)'),
};
export type TestTimeStyleShiftingOptions = OptionsOf<typeof options>;

/**
 * Test-time style shifting: a test feature map whose style (channel means and standard deviations) is far
 * from every source domain's is re-styled, by AdaIN, to the nearest source style.
 *
 * μ, σ = channel mean and √(Var + ε) over the spatial dims (population variance); style distance to source d:
 * ‖μ − μ_d‖₂ + ‖σ − σ_d‖₂; if min_d distance > τ, F' = σ_d·(F − μ)/σ + μ_d with d the nearest source, else F' =
 * F. Reading: the distance is the sum of the L2 distances of the mean and std vectors. The choice of d is a
 * discrete step (no gradient through it); F' is differentiable in F.
 *
 * @param features feature maps F [N, C, H, W] (an intermediate layer's output)
 * @param sourceMean stored source-domain channel means μ_d [S, C]
 * @param sourceStd stored source-domain channel standard deviations σ_d [S, C] (positive)
 * @returns the shifted features, shaped like `features`
 * @see Park et al., "Test-Time Style Shifting: Handling Arbitrary Styles in Domain Generalization", ICML 2023
 */
export function testTimeStyleShifting(...args: Call<[features: Tensor, sourceMean: Tensor, sourceStd: Tensor], TestTimeStyleShiftingOptions>): Tensor {
  const [features, sourceMean, sourceStd, { threshold, eps }] = entry.check(args);
  const mu = features.mean([2, 3], true); // [N, C, 1, 1]
  const sigma = features.var([2, 3], { correction: 0, keepdim: true }).add(eps).sqrt();
  const [m, s] = [mu.flatten(1).detach(), sigma.flatten(1).detach()]; // [N, C]
  const dist = m.unsqueeze(1).sub(sourceMean.unsqueeze(0)).norm(2, -1).add(s.unsqueeze(1).sub(sourceStd.unsqueeze(0)).norm(2, -1)); // [N, S]
  const { values, indices } = dist.min(1);
  const [tMu, tSigma] = [sourceMean.indexSelect(0, indices), sourceStd.indexSelect(0, indices)].map((t) => t.unsqueeze(-1).unsqueeze(-1));
  const shifted = features.sub(mu).div(sigma).mul(tSigma).add(tMu);
  return values.gt(threshold).reshape([-1, 1, 1, 1]).where(shifted, features);
}

export const entry = defineLoss({
  id: 'test-time-style-shifting',
  fn: testTimeStyleShifting,
  args: [
    { name: 'features', shape: ['N', 'C', 'H', 'W'], dtype: 'float', domain: 'real' },
    { name: 'sourceMean', shape: ['S', 'C'], dtype: 'float', domain: 'real' },
    { name: 'sourceStd', shape: ['S', 'C'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'same-as-input',
});
