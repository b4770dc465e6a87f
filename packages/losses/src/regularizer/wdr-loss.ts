import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  k1: opt.number(0.015, 'k₁: weight of the kurtosis term.', '[0, inf)'),
  k2: opt.number(1, 'k₂: weight of the skewness term.', '[0, inf)'),
  kurtTarget: opt.number(1.8, 'The target kurtosis (1.8: a uniform distribution\'s, the quantisation-friendly shape).', '(-inf, inf)'),
  skewTarget: opt.number(0, 'The target skewness (0: symmetric).', '(-inf, inf)'),
  eps: opt.number(1e-8, 'ε added to the standard deviation.', '[0, inf)'),
};
export type WdrLossOptions = OptionsOf<typeof options>;

/**
 * EQ-Net's weight distribution regularisation (WDR) loss: pushes a layer's weight distribution toward
 * a symmetric, uniform-like shape (kurtosis 1.8, skewness 0) that quantises well at every bit-width.
 *
 * Ŵ = (W − mean W)/(std W + ε) (std with Bessel's correction, torch.std, as in KURE's code this builds on);
 * skew = mean Ŵ³, kurt = mean Ŵ⁴; L = k₁·(kurt − 1.8)² + k₂·(skew − 0)². One call per quantised layer (the
 * paper skips the first); average the calls over layers.
 *
 * @param weight a layer's weights [O, ...] (all entries form one distribution)
 * @returns a scalar
 * @see Xu et al., "EQ-Net: Elastic Quantization Neural Networks", ICCV 2023
 */
export function wdrLoss(...args: Call<[weight: Tensor], WdrLossOptions>): Tensor {
  const [weight, { k1, k2, kurtTarget, skewTarget, eps }] = entry.check(args);
  const w = weight.flatten();
  const z = w.sub(w.mean()).div(w.std().add(eps));
  const skew = z.pow(3).mean();
  const kurt = z.pow(4).mean();
  return kurt.sub(kurtTarget).square().mul(k1).add(skew.sub(skewTarget).square().mul(k2));
}

export const entry = defineLoss({
  id: 'wdr-loss',
  fn: wdrLoss,
  args: [{ name: 'weight', shape: ['O', '...'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
