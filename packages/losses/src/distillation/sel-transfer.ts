import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { hardCrossEntropy } from '../parts/distill-kl.js';

const options = {
  reduction: opt.reduction(),
};
export type SelTransferOptions = OptionsOf<typeof options>;

/**
 * Empirical squared-error-logit (SEL) transfer: the student's normalised logit of each sampled label is regressed
 * on the log of the teacher's probability of it (the unbiased counterpart of naive-weighted-ce-transfer).
 *
 * ℓᵢ = (log_softmax(zᵢ)_{aᵢ} − log p_t,i)², the student's logits normalised so that lse_a f(x, a) = 0 (a log-softmax
 * gather). The teacher probabilities are held constant. A teacher probability of 0 has log −∞: the loss is
 * then infinite, as the mathematics says.
 *
 * @param input student logits z [N, A]
 * @param target sampled labels a [N] (int32)
 * @param teacherProb the teacher's probability of each sampled label p_t [N] in (0, 1] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhao & Zhu, "Towards the Fundamental Limits of Knowledge Transfer over Finite Domains", 2023, arXiv:2310.07838
 */
export function selTransferLoss(...args: Call<[input: Tensor, target: Tensor, teacherProb: Tensor], SelTransferOptions>): Tensor {
  const [input, target, teacherProb, { reduction }] = entry.check(args);
  return applyReduction(hardCrossEntropy(input, target).neg().sub(teacherProb.detach().log()).square(), { reduction });
}

export const entry = defineLoss({
  id: 'sel-transfer',
  fn: selTransferLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'teacherProb', shape: ['N'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  notFiniteAtExtremes: 'a teacher probability of exactly 0 has log −∞, so (lp_a − log p_t)² is +∞ (the mathematics); student logits of ±1e4 alone are finite (a fixture case checks them)',
  reading: 'The empirical variant over sampled labels: (log_softmax(z)_a − log p_t(a|x))² averaged over the samples, the student logits normalised by their logsumexp.',
});
