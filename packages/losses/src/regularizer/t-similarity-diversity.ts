import type { Tensor } from '@graft/core';
import { tSimilarity } from '../calibration/t-similarity.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  gamma: opt.number(1, 'γ: weight of the diversity term on unlabelled data.', '[0, inf)'),
};
export type TSimilarityDiversityOptions = OptionsOf<typeof options>;

/**
 * The diversity-regularised ensemble objective of T-similarity self-training: fit the labelled data
 * with every head while keeping the M heads' predictions apart on unlabelled data.
 *
 * L = (1/M)·Σ_m mean_i CE(z_m(xᵢ), yᵢ) + γ·mean_u s_T(x_u), s_T(x) = 1/(M(M−1))·Σ_{m≠m'} p_m(x)·p_m'(x),
 * p = softmax (the `tSimilarity` entry). CE is the max-shifted logsumexp form and the softmaxes are max-shifted,
 * so logits of ±1e4 are finite. The paper's heads are M = 5 linear heads on a shared backbone.
 *
 * @param logits the heads' logits on labelled inputs [N, M, C] (batch first)
 * @param target class indices [N] (int32)
 * @param unlabeledLogits the heads' logits on unlabelled inputs [U, M, C]
 * @returns a scalar
 * @see Odonnat, Feofanov & Redko, "Leveraging Ensemble Diversity for Robust Self-Training in the Presence of Sample
 *   Selection Bias", AISTATS 2024
 */
export function tSimilarityDiversity(...args: Call<[logits: Tensor, target: Tensor, unlabeledLogits: Tensor], TSimilarityDiversityOptions>): Tensor {
  const [logits, target, unlabeledLogits, { gamma }] = entry.check(args);
  const [n, m] = logits.shape;
  const logp = logits.logSoftmax(-1);
  const nll = logp.gather(-1, target.reshape([n, 1, 1]).expand([n, m, 1])).neg().mean();
  return nll.add(tSimilarity(unlabeledLogits.softmax(-1), { reduction: 'mean' }).mul(gamma));
}

export const entry = defineLoss({
  id: 't-similarity-diversity',
  fn: tSimilarityDiversity,
  args: [
    { name: 'logits', shape: ['N', 'M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'unlabeledLogits', shape: ['U', 'M', 'C'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'batch',
  reading: 'Mean over heads and labelled samples of the CE, plus γ times the mean T-similarity of the unlabelled batch; heads are given batch first [N, M, C]; M is the number of heads given (5 in the paper).',
});
