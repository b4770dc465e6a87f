import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { hardCrossEntropy, softCrossEntropy, temperedKl } from '../parts/distill-kl.js';

const options = {
  alpha: opt.number(0.5, 'α: the weight of the KL to the previous subnet (1 − α that of the label cross-entropy) for every subnet after the first.', '[0, 1]'),
  T: opt.number(1, 'T: the temperature of the progressive KL.', '(0, inf)'),
  labelSmoothing: opt.number(0.1, 'ε: the label smoothing of the largest subnet\'s cross-entropy.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type GpgLossOptions = OptionsOf<typeof options>;

/**
 * EQ-Net's Group Progressive Guidance: each quantised subnet learns from the one before it in the chain.
 *
 * Subnets ordered largest bit-width → random → smallest: ℓᵢ = CE_ε(z₁, y) + Σ_{k≥2} [α·KL(softmax(sg(z_{k−1})/T) ‖
 * softmax(z_k/T)) + (1 − α)·CE(z_k, y)], CE_ε with label smoothing ε (PyTorch's: (1 − ε)·one-hot + ε/C). Each guide
 * sg(z_{k−1}) is held constant, so z_{k−1} gets gradient only from its own terms.
 * Log-space KL and cross-entropies (parts/distill-kl); fake quantisation with STE is outside the loss.
 *
 * @param input the subnets' logits in chain order [S, N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] (summed over subnets) with reduction 'none'
 * @see Xu et al., "EQ-Net: Elastic Quantization Neural Networks", ICCV 2023
 */
export function gpgLoss(...args: Call<[input: Tensor, target: Tensor], GpgLossOptions>): Tensor {
  const [input, target, { alpha, T, labelSmoothing, reduction }] = entry.check(args);
  const guide = input.detach();
  const [s, , c] = input.shape;
  const at = (k: number) => input.slice(0, k, k + 1).squeeze(0);
  const smooth = target.oneHot(c).cast(input.dtype).mul(1 - labelSmoothing).add(labelSmoothing / c);
  let values = softCrossEntropy(smooth, at(0).logSoftmax(-1));
  for (let k = 1; k < s; k++) {
    const kd = temperedKl(at(k), guide.slice(0, k - 1, k).squeeze(0), T, { scale: 1 });
    values = values.add(kd.mul(alpha)).add(hardCrossEntropy(at(k), target).mul(1 - alpha));
  }
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'gpg-loss',
  fn: gpgLoss,
  args: [
    { name: 'input', shape: ['S', 'N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  surrogateGradient: 'each subnet\'s guide, the previous subnet\'s logits, is held constant (the paper\'s stop-gradient)',
  output: 'per-sample',
  batchDim: 1,
  reading: 'The chain form of the official code: label-smoothed CE on the largest subnet, then for each later subnet α·KL(softmax(sg(z_{k−1})/T) ‖ softmax(z_k/T)) + (1 − α)·CE(z_k, y) (plain CE, no T² factor), summed over subnets; teachers are the previous subnet in the given order.',
});
