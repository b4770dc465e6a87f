import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { klFromLogProbs, temperedLogSoftmax } from '../parts/distill-kl.js';

const options = {
  tauS: opt.number(0.02, 'τ_s: the student\'s temperature over its candidate scores (0.02–0.05 in the report).', '(0, inf)'),
  tauT: opt.number(null, 'τ_t: the teacher\'s temperature. The report gives none; absent, τ_s (one temperature on both lists, as kd-kl does).', '(0, inf)'),
  weight: opt.number(1, 'The weight of the soft-label term beside InfoNCE (not given in the report; 1 leaves it unscaled).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type ListwiseScoreDistillationOptions = OptionsOf<typeof options>;

/**
 * Listwise soft-label distillation: each query's candidate list scored by a teacher retriever or reranker.
 *
 * ℓ_q = w·KL(softmax(sg(s_t)/τ_t) ‖ softmax(s_s/τ_s)) over the n candidates of query q, usually added to InfoNCE.
 * Stable form: both sides are log-softmaxes (max-shifted), the KL is Σ exp(log p_t)(log p_t − log p_s), so small
 * temperatures and large scores stay finite. No T² factor: the report states the KL alone. Teacher detached.
 *
 * @param input student query-candidate scores s_s [N, n]
 * @param teacher teacher relevance scores s_t [N, n] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "LG-ANNA-Embedding technical report", LG AI Research, 2025
 */
export function listwiseScoreDistillationLoss(...args: Call<[input: Tensor, teacher: Tensor], ListwiseScoreDistillationOptions>): Tensor {
  const [input, teacher, { tauS, tauT, weight, reduction }] = entry.check(args);
  const kl = klFromLogProbs(temperedLogSoftmax(teacher.detach(), tauT ?? tauS), temperedLogSoftmax(input, tauS));
  return applyReduction(kl.mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'listwise-score-distillation',
  fn: listwiseScoreDistillationLoss,
  args: [
    { name: 'input', shape: ['N', 'L'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'L'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'Per query, KL(softmax(s_t/τ_t) ‖ softmax(s_s/τ_s)) over the candidate list, averaged over queries, times a weight; τ_t defaults to τ_s and no T² factor is applied.',
});
