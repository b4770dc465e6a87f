import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { activeClasses, classMean, overlapSum, perSampleOrBatch, targetMap } from '../parts/overlap-stats.js';

const options = {
  variant: opt.oneOf(['JML1', 'JML2'] as const, 'JML1', "'JML1': (‖x+y‖ − ‖x−y‖ + s)/(‖x+y‖ + ‖x−y‖ + s); 'JML2': (⟨x,y⟩ + s)/(⟨x,y⟩ + ‖x−y‖ + s)."),
  smooth: opt.number(1, 's: added to numerator and denominator.', '(0, inf)'),
  logLoss: opt.boolean(false, 'Use −log score instead of 1 − score.'),
  classSet: opt.oneOf(['auto', 'all', 'present'] as const, 'auto', "Active classes: 'auto' (present for class-index targets, all for float targets, as the code), 'all', 'present'."),
  perImage: opt.boolean(false, 'One value per image; default: counts over the whole batch, one value.'),
  reduction: opt.reduction(),
};
export type JaccardMetricOptions = OptionsOf<typeof options>;

/**
 * Jaccard metric losses JML1 / JML2: soft Jaccard rewritten so that it is a metric for soft labels.
 *
 * Per class (L1 norms over the batch's pixels): JML1 score = (‖x+y‖₁ − ‖x−y‖₁ + s)/(‖x+y‖₁ + ‖x−y‖₁ + s)
 * (= Σmin(x, y)/Σmax(x, y) at s = 0); JML2 score = (⟨x, y⟩ + s)/(⟨x, y⟩ + ‖x−y‖₁ + s); ℓ = mean_c (1 − score)
 * or −log score over the active classes. Both equal soft Jaccard for one-hot y. The paper's softmax
 * temperature acts on the logits before: pass softmax(z/T) as the input.
 *
 * @param input probabilities [N, C, ...spatial]
 * @param target soft or one-hot targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' and perImage (a scalar otherwise)
 * @see Wang & Blaschko, "Jaccard Metric Losses: Optimizing the Jaccard Index with Soft Labels", NeurIPS 2023
 */
export function jaccardMetricLoss(...args: Call<[input: Tensor, target: Tensor], JaccardMetricOptions>): Tensor {
  const [input, target, { variant, smooth, logLoss, classSet, perImage, reduction }] = entry.check(args);
  const y = targetMap(input, target);
  const batch = !perImage;
  const diff = overlapSum(input.sub(y).abs(), batch);
  let score: Tensor;
  if (variant === 'JML1') {
    const plus = overlapSum(input.add(y), batch);
    score = plus.sub(diff).add(smooth).div(plus.add(diff).add(smooth));
  } else {
    const dot = overlapSum(input.mul(y), batch);
    score = dot.add(smooth).div(dot.add(diff).add(smooth));
  }
  const v = classMean(logLoss ? score.log().neg() : score.neg().add(1), overlapSum(y, batch), activeClasses(classSet, target));
  return applyReduction(perSampleOrBatch(v, batch), { reduction });
}

export const entry = defineLoss({
  id: 'jaccard-metric-loss',
  fn: jaccardMetricLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
