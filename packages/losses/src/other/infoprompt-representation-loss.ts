import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { firstPositiveNce } from '../parts/first-positive-nce.js';

const options = {
  tau: opt.number(null, 'τ: the critic temperature; null: √D, the authors\' scaling of the dot products (the catalog gives none).', '(0, inf)'),
  weight: opt.number(0.2, 'β: the weight of the representation loss in the training objective (the authors\' default 0.2; the catalog gives none).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type InfopromptRepresentationLossOptions = OptionsOf<typeof options>;

/**
 * InfoPrompt's representation loss: an InfoNCE lower bound on the mutual information between the learnt prompt and
 * the encoder's output representation, so that the representation of a prompted sentence is told apart, by the
 * prompt, from representations of the same sentence encoded without it.
 *
 * With the prompt context cᵢ (a projection of the mean prompt embedding), a decoded sample uᵢ of the prompted
 * sentence's representation (the positive) and K decoded samples vᵢₖ of its un-prompted representation (the
 * negatives): s⁺ᵢ = cᵢ·uᵢ/τ, s⁻ᵢₖ = cᵢ·vᵢₖ/τ, ℓᵢ = β·(logsumexp(s⁺ᵢ, s⁻ᵢ·) − s⁺ᵢ). Stable form: a max-shifted
 * logSoftmax (parts/first-positive-nce.ts). Follows JoshuaWu1997/infoprompt, model/RoBertaPrompt.py
 * (`bottleneck_nce`: τ = √D, β = 0.2, K = 4·batch samples of the un-prompted representation).
 *
 * @param context prompt context c [N, D]
 * @param positive representation of the prompted input u [N, D]
 * @param negatives representations without the prompt v [N, K, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wu et al., "InfoPrompt: Information-Theoretic Soft Prompt Tuning for Natural Language Understanding", 2023
 */
export function infopromptRepresentationLoss(...args: Call<[context: Tensor, positive: Tensor, negatives: Tensor], InfopromptRepresentationLossOptions>): Tensor {
  const [context, positive, negatives, { tau, weight, reduction }] = entry.check(args);
  const t = tau ?? Math.sqrt(context.shape[1]);
  const pos = context.mul(positive).sum(-1).div(t);
  const neg = negatives.matmul(context.unsqueeze(-1)).squeeze(-1).div(t);
  return applyReduction(firstPositiveNce(pos, neg).mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'infoprompt-representation-loss',
  fn: infopromptRepresentationLoss,
  args: [
    { name: 'context', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positive', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'negatives', shape: ['N', 'K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: "The authors' bottleneck_nce: a scaled dot-product critic between the prompt context and representations; the positive is the prompted input's representation, the negatives K representations of the input encoded without the prompt. The encoder, the variational sampling and the context projection are the caller's model (tensor arguments); τ = √D, β = 0.2 as in their code.",
});
