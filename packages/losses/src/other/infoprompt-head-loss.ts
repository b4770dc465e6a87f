import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { firstPositiveNce } from '../parts/first-positive-nce.js';

const options = {
  tau: opt.number(null, 'τ: the critic temperature; null: √D, the authors\' scaling of the dot products (the catalog gives none).', '(0, inf)'),
  weight: opt.number(0.1, 'γ: the weight of the head loss in the training objective (the authors\' default 0.1).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type InfopromptHeadLossOptions = OptionsOf<typeof options>;

/**
 * InfoPrompt's head loss: an InfoNCE lower bound on the mutual information between the soft prompt and the task
 * head, which makes the prompt carry the head's (the verbalizer's) information.
 *
 * h̄ = mean_c W_c (the head's rows, the label words' embeddings); the positive critic score of sentence i is
 * s⁺ᵢ = mean_p(P_ip)·h̄/τ, its negatives the sentence's own token embeddings s⁻ᵢⱼ = e_ij·h̄/τ (padding dropped);
 * ℓᵢ = γ·(logsumexp(s⁺ᵢ, s⁻ᵢ·) − s⁺ᵢ). Stable form: a max-shifted logSoftmax (parts/first-positive-nce.ts).
 * Follows JoshuaWu1997/infoprompt, model/RoBertaPrompt.py (`promptHead_loss`), where τ = √D and γ = 0.1; the
 * authors mask padding by adding −100 to its scores, here padding is removed exactly.
 *
 * @param promptTokens soft prompt embeddings P [N, P, D]
 * @param tokenEmbeddings input word embeddings e [N, L, D] of each sentence (the negatives)
 * @param head classification-head weights W [C, D] (the label words' embeddings)
 * @param mask optional [N, L] (bool or 0/1): the tokens that are not padding (default all)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wu et al., "InfoPrompt: Information-Theoretic Soft Prompt Tuning for Natural Language Understanding", 2023
 */
export function infopromptHeadLoss(...args: Call<[promptTokens: Tensor, tokenEmbeddings: Tensor, head: Tensor, mask?: Tensor], InfopromptHeadLossOptions>): Tensor {
  const [promptTokens, tokenEmbeddings, head, mask, { tau, weight, reduction }] = entry.check(args);
  const t = tau ?? Math.sqrt(head.shape[1]);
  const ctx = head.mean(0);
  const positive = promptTokens.mean(1).matmul(ctx).div(t);
  const negatives = tokenEmbeddings.matmul(ctx).div(t);
  const valid = mask ? (mask.dtype === 'bool' ? mask : mask.ne(0)) : null;
  return applyReduction(firstPositiveNce(positive, negatives, valid).mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'infoprompt-head-loss',
  fn: infopromptHeadLoss,
  args: [
    { name: 'promptTokens', shape: ['N', 'P', 'D'], dtype: 'float', domain: 'real' },
    { name: 'tokenEmbeddings', shape: ['N', 'L', 'D'], dtype: 'float', domain: 'real' },
    { name: 'head', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'mask', shape: ['N', 'L'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'L'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: "The authors' promptHead_loss: the critic is a scaled dot product with the mean head row h̄, the positive is the mean prompt embedding, the negatives are the sentence's own input token embeddings (all tensors the caller passes from its model); τ = √D and γ = 0.1 as in their code.",
});
