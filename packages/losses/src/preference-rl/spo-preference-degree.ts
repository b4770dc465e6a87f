import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logRatioMargin } from '../parts/preference.js';
import { targetLogProbs } from '../parts/target-log-probs.js';

const options = {
  beta: opt.number(0.1, 'β: the DPO alignment term\'s scale.', '(0, inf)'),
  lambda: opt.number(1, 'λ: the weight of the preference-degree cross-entropy (unspecified in the catalog; 1 chosen, equal weighting).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SpoPreferenceDegreeOptions = OptionsOf<typeof options>;

/**
 * SPO: an alignment loss (DPO here) plus a self-supervised cross-entropy that classifies how many key spans
 * were removed from a response (its preference degree).
 *
 * ℓ = −log σ(β·h) + λ·CE(z, k), h the DPO log-ratio margin, z [N, K + 1] the degree head's logits on the
 * span-removed response, k its degree label. Stable forms: logSigmoid, and log-softmax at the label. The
 * references are held constant.
 *
 * Reading: span selection and removal are data operations done before the call; K and λ are unspecified (K is
 * the logits' width; λ see the option); DPO is the alignment loss (the paper also pairs SPO with others).
 *
 * @param chosen policy log π(y_w) [N]
 * @param rejected policy log π(y_l) [N]
 * @param refChosen reference log π_ref(y_w) [N] (held constant)
 * @param refRejected reference log π_ref(y_l) [N] (held constant)
 * @param degreeLogits the degree head's logits [N, C] (C = K + 1 degrees)
 * @param degree degree labels k [N] (int32, 0..K)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Self-supervised Preference Optimization: Enhance Your Language Model with Preference Degree Awareness", 2024 (the catalog's source)
 */
export function spoPreferenceDegreeLoss(...args: Call<[chosen: Tensor, rejected: Tensor, refChosen: Tensor, refRejected: Tensor, degreeLogits: Tensor, degree: Tensor], SpoPreferenceDegreeOptions>): Tensor {
  const [chosen, rejected, refChosen, refRejected, degreeLogits, degree, { beta, lambda, reduction }] = entry.check(args);
  const align = logRatioMargin(chosen, rejected, refChosen, refRejected).mul(beta).logSigmoid().neg();
  return applyReduction(align.sub(targetLogProbs(degreeLogits, degree).logp.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'spo-preference-degree',
  fn: spoPreferenceDegreeLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'refChosen', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'refRejected', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'degreeLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'degree', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'DPO as the alignment loss + λ·CE of a degree head over K + 1 span-removal degrees; spans are removed by the caller, K is the logits\' width, λ = 1 chosen.',
});
