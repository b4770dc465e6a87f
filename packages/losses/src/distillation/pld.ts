import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { temperedLogSoftmax } from '../parts/distill-kl.js';

const options = {
  T: opt.number(1, 'T: the temperature of the teacher softmax that weights each ranked choice.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type PldOptions = OptionsOf<typeof options>;

/**
 * Plackett–Luce distillation: the student's Plackett–Luce likelihood of the teacher's ranking, each choice
 * weighted by the teacher's confidence.
 *
 * π*: the true label first, then the other classes by descending teacher logit; α_k = softmax(sg(t)/T)_{π*_k};
 * s′ = s[π*]; ℓᵢ = Σ_{k=1..C} α_k·(lse_{l≥k} s′_l − s′_k). The k = 1 term is α_y·CE(s, y): no separate CE term.
 * Stable form: the suffix logsumexps are flip → logcumsumexp → flip (max-shifted), so logits of ±1e4 are finite;
 * the ranking is an index (no gradient) and the weights come from the detached teacher.
 *
 * @param input student logits s [N, C]
 * @param teacher teacher logits t [N, C] (held constant)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "PLD: A Choice-Theoretic List-Wise Knowledge Distillation", 2025
 */
export function pldLoss(...args: Call<[input: Tensor, teacher: Tensor, target: Tensor], PldOptions>): Tensor {
  const [input, teacher, target, { T, reduction }] = entry.check(args);
  const t = teacher.detach();
  const c = input.shape[1];
  const order = t.maskedFill(target.oneHot(c).bool(), Infinity).argsort(-1, true);
  const alpha = temperedLogSoftmax(t, T).exp().gather(-1, order);
  const ranked = input.gather(-1, order);
  const suffixLse = ranked.flip(-1).logcumsumexp(-1).flip(-1);
  return applyReduction(alpha.mul(suffixLse.sub(ranked)).sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'pld',
  fn: pldLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'α_k = softmax(t/T) at the class ranked k-th, the ranking being the true label then descending teacher logits; the per-sample loss is Σ_k α_k·(lse_{l≥k} s′_l − s′_k), averaged over the batch.',
});
