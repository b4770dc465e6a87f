import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { softCrossEntropy } from '../parts/distill-kl.js';

const options = {
  diversityWeight: opt.number(1, 'The weight of the batch-diversity term −H(p̄) (1: the mutual-information form H(p̄) − mean H(p) up to the KD term).', '[0, inf)'),
};
export type TeslaOptions = OptionsOf<typeof options>;

/**
 * TeSLA's test-time self-learning loss: soft pseudo-label cross-entropy to the EMA teacher's ensemble, minus the
 * entropy of the student's batch-mean prediction (diversity).
 *
 * ŷᵢ = mean over augmentations of the teacher's probabilities; L = mean_i [−Σ_c ŷ_ic·log_softmax(zᵢ)_c] − w·H(p̄),
 * p̄ = mean_i softmax(zᵢ). Stable form: log p̄ = logsumexp_i(log_softmax(zᵢ)) − log N (a log of a mean of
 * probabilities taken in log space), so one-hot predictions at logits of ±1e4 are finite. The teacher (an EMA of the
 * student, its momentum a training setting outside the loss) and its pseudo-label refinement are the caller's; the
 * pseudo-labels are held constant. The diversity term couples the batch: the value is the batch's.
 *
 * @param input student logits on the augmented test views [N, C]
 * @param teacherProbs the EMA teacher's probabilities over A augmentations [N, A, C] (held constant)
 * @returns a scalar
 * @see Tomar et al., "TeSLA: Test-Time Self-Learning With Automatic Adversarial Augmentation", CVPR 2023
 */
export function teslaLoss(...args: Call<[input: Tensor, teacherProbs: Tensor], TeslaOptions>): Tensor {
  const [input, teacherProbs, { diversityWeight }] = entry.check(args);
  const logP = input.logSoftmax(-1);
  const pseudo = teacherProbs.detach().mean(1);
  const logPBar = logP.logsumexp(0).sub(Math.log(input.shape[0]));
  const negEntropy = logPBar.exp().mul(logPBar).sum();
  return softCrossEntropy(pseudo, logP).mean().add(negEntropy.mul(diversityWeight));
}

export const entry = defineLoss({
  id: 'tesla',
  fn: teslaLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'teacherProbs', shape: ['N', 'A', 'C'], dtype: 'float', domain: 'simplex', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'Soft-label CE from the mean over augmentations of the teacher\'s probabilities to the student (teacher → student direction), plus Σ p̄ log p̄ (−H of the batch-mean student prediction) with weight 1; the refinement of the pseudo-labels and the EMA update are outside the loss.',
});
