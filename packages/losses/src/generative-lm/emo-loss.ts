import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { sequenceLogProbs } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  eps: opt.number(1e-8, 'Floor of DEMD in the ratio CE/DEMD (DEMD → 0 as q becomes one-hot on the target, where CE → 0 too).', '(0, 1)'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing.'),
  reduction: opt.reduction(),
};
export type EmoLossOptions = OptionsOf<typeof options>;

/**
 * EMO: Earth Mover Distance Optimisation, the cross-entropy mixed with a differentiable EMD upper bound (DEMD).
 *
 * q = softmax(z), Ē = the embedding rows L2-normalised, DEMDᵢ = 1 − (qᵢᵀĒ)·Ē_{yᵢ} (transport cost 1 − cosine of
 * the frozen token embeddings, computed as an [N, D] product, never the [V, V] cost matrix); CEᵢ = lse(zᵢ) − z_{i,yᵢ};
 * ℓᵢ = ½(CEᵢ + sg(CEᵢ/DEMDᵢ)·DEMDᵢ), so the value is CEᵢ and the gradient is ½(∇CE + (CE/DEMD)·∇DEMD), as in the
 * official code. 'mean' is the token mean over counted positions. E is a frozen copy of the LM head at init.
 *
 * @param input logits [N, V] (one row per token)
 * @param target token ids [N] (int32), or ignoreIndex
 * @param embedding the frozen output-embedding matrix E [V, D] (held constant)
 * @param mask optional [N] (bool or 0/1)
 * @returns a scalar, or [N] with reduction 'none' (0 where not counted)
 * @see Ren et al., "EMO: Earth Mover Distance Optimization for Auto-Regressive Language Modeling", ICLR 2024, arXiv:2310.04691
 */
export function emoLoss(...args: Call<[input: Tensor, target: Tensor, embedding: Tensor, mask?: Tensor], EmoLossOptions>): Tensor {
  const [input, target, embedding, mask, { eps, ignoreIndex, reduction }] = entry.check(args);
  const lp = sequenceLogProbs(input, target, mask, ignoreIndex);
  const e = embedding.detach();
  const eBar = e.div(e.square().sum(-1, true).sqrt().clamp(1e-12));
  const ey = eBar.indexSelect(0, lp.mask.where(target, 0).cast('int32'));
  const demd = input.softmax(-1).matmul(eBar).mul(ey).sum(-1).neg().add(1);
  const ce = lp.tokens.neg();
  const ratio = ce.div(demd.clamp(eps)).detach();
  const values = lp.mask.where(ce.add(ratio.mul(demd)).mul(0.5), 0);
  return applyReduction(values, { reduction, meanOver: lp.count.sum() });
}

export const entry = defineLoss({
  id: 'emo-loss',
  fn: emoLoss,
  args: [
    { name: 'input', shape: ['N', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'embedding', shape: ['V', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'mask', shape: ['N'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'the ratio CE/DEMD is held constant (the paper\'s stop-gradient): the value is CE, the gradient ½(∇CE + (CE/DEMD)·∇DEMD)',
  meanIsNotMeanOfNone: "'mean' is the token mean over counted positions (equal to the mean of 'none' when every position counts)",
});
