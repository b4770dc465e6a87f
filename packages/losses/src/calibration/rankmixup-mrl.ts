import type { Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { confidence } from '../parts/confidence.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(0.1, 'α: weight of the ranking term.', '[0, inf)'),
  m: opt.number(0.1, 'm: margin by which the raw sample\'s top score must exceed the mixed one\'s.', '[0, inf)'),
  useConfidence: opt.boolean(false, 'Rank confidences (max softmax, the paper) instead of max logits (the official code\'s default).'),
  mask: opt.tensor(['N'], '1 keeps sample i, 0 drops it [N] (default: all kept).', 'any'),
  reduction: opt.reduction(),
};
export type RankMixupMrlOptions = OptionsOf<typeof options>;

/**
 * RankMixup mixup ranking loss (MRL): cross-entropy on raw samples plus a margin ranking term
 * asking each mixup-augmented sample to be less confident than the raw sample it came from.
 *
 * ℓᵢ = CE(zᵢ, yᵢ) + α maskᵢ relu(max_k z̃ᵢₖ − max_k zᵢₖ + m), on max logits (official code) or on
 * max softmax probabilities exp(max − logsumexp) (`useConfidence`, the paper's statement). maskᵢ
 * drops pairs mixed within one class (their mixed label has an entry equal to 1). The official code
 * broadcasts an [N] mask against [N, 1] differences, which averages the mask and the hinge
 * separately; this is the per-sample product the method describes. Mixup sampling (λ ~ Beta) is a
 * data procedure outside the loss.
 *
 * @param logits logits of the raw samples [N, C]
 * @param target class indices [N] (int32)
 * @param mixupLogits logits of their mixup versions [N, C]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Noh, Park, Lee & Ham, "RankMixup: Ranking-Based Mixup Training for Network Calibration", ICCV 2023
 */
export function rankMixupMrl(...args: Call<[logits: Tensor, target: Tensor, mixupLogits: Tensor], RankMixupMrlOptions>): Tensor {
  const [logits, target, mixupLogits, { alpha, m, useConfidence, mask, reduction }] = entry.check(args);
  const top = (z: Tensor) => (useConfidence ? confidence(z, -1) : z.amax(-1));
  let hinge = top(mixupLogits).sub(top(logits)).add(m).relu();
  if (mask) hinge = hinge.mul(mask);
  return applyReduction(crossEntropy(logits, target, { reduction: 'none' }).add(hinge.mul(alpha)), { reduction });
}

export const entry = defineLoss({
  id: 'rankmixup-mrl',
  fn: rankMixupMrl,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'mixupLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'per-sample',
});
