import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { hardCrossEntropy } from '../parts/distill-kl.js';
import { perSampleMse } from '../parts/distill-feature.js';

const options = {
  alpha: opt.number(0.3, 'α: the weight of the logit-replay term (0.3–0.5).', '[0, inf)'),
};
export type DerLogitReplayOptions = OptionsOf<typeof options>;

/**
 * Dark experience replay: cross-entropy on the current batch plus an MSE pulling the logits of replayed buffer
 * samples to the logits stored when they entered the buffer.
 *
 * L = mean_i CE(z_i, y_i) + α·mean_{m,c} (z(x_m) − sg(z_stored,m))². The buffer (reservoir sampling) is the caller's
 * training state; the stored logits are held constant. The CE is a log-softmax gather. The current batch and the
 * buffer have their own sizes (N, M), so the value is the batch's (no per-sample reduction).
 *
 * @param input current-batch logits [N, C]
 * @param target current-batch class indices [N] (int32)
 * @param buffer current logits of the buffer samples z(x_buf) [M, C]
 * @param stored the logits stored with the buffer samples [M, C] (held constant)
 * @returns a scalar
 * @see Buzzega et al., "Dark Experience for General Continual Learning: a Strong, Simple Baseline", NeurIPS 2020;
 *   used in "BACS: Background Aware Continual Semantic Segmentation", 2024
 */
export function derLogitReplayLoss(...args: Call<[input: Tensor, target: Tensor, buffer: Tensor, stored: Tensor], DerLogitReplayOptions>): Tensor {
  const [input, target, buffer, stored, { alpha }] = entry.check(args);
  return hardCrossEntropy(input, target).mean().add(perSampleMse(buffer, stored).mean().mul(alpha));
}

export const entry = defineLoss({
  id: 'der-logit-replay',
  fn: derLogitReplayLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'buffer', shape: ['M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'stored', shape: ['M', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'batch',
});
