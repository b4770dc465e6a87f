import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { hardCrossEntropy } from '../parts/distill-kl.js';

const options = {
  reduction: opt.reduction(),
};
export type NaiveWeightedCeTransferOptions = OptionsOf<typeof options>;

/**
 * The naive teacher-probability-weighted cross-entropy: the level-2 transfer baseline (sampled labels with the
 * teacher's probability of each), which the paper shows to be asymptotically biased.
 *
 * ℓᵢ = −p_t,i·log_softmax(zᵢ)_{aᵢ}, a log-softmax gather. The teacher probabilities are held constant.
 *
 * @param input student logits z [N, A]
 * @param target sampled labels a [N] (int32)
 * @param teacherProb the teacher's probability of each sampled label p_t [N] in [0, 1] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhao & Zhu, "Towards the Fundamental Limits of Knowledge Transfer over Finite Domains", 2023, arXiv:2310.07838
 */
export function naiveWeightedCeTransferLoss(...args: Call<[input: Tensor, target: Tensor, teacherProb: Tensor], NaiveWeightedCeTransferOptions>): Tensor {
  const [input, target, teacherProb, { reduction }] = entry.check(args);
  return applyReduction(hardCrossEntropy(input, target).mul(teacherProb.detach()), { reduction });
}

export const entry = defineLoss({
  id: 'naive-weighted-ce-transfer',
  fn: naiveWeightedCeTransferLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'teacherProb', shape: ['N'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The "naive adaptation of the cross-entropy": −p_t(a|x)·log softmax(z)_a per sampled (x, a), averaged over the samples.',
});
