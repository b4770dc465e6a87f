import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { sequenceLogProbs } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  a: opt.number(1, 'a: the weight of the soft cross-entropy to the clean pass (unspecified in the abstract; 1).', '[0, inf)'),
  b: opt.number(1, 'b: the weight of the consistency term KL(p_c ‖ p_n) (unspecified in the abstract; 1).', '[0, inf)'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing.'),
  reduction: opt.reduction(),
};
export type NoisefitHybridLossOptions = OptionsOf<typeof options>;

/**
 * NoiseFiT's hybrid loss: cross-entropy of the noise-injected pass, soft cross-entropy to the clean pass, and a
 * consistency KL between the two.
 *
 * p_c = softmax(sg(z_c)), log p_n = log_softmax(z_n); ℓ_t = CE(z_n, y) + a·(−Σ_v p_c log p_n) + b·KL(p_c ‖ p_n), the
 * KL as Σ p_c(log p_c − log p_n) from log-softmaxes; token mean over counted positions. The SNR-adaptive noise
 * injection into selected layers that produces z_n is the caller's forward pass.
 *
 * @param input logits of the noise-injected pass z_n [N, T, V]
 * @param clean logits of the clean pass z_c [N, T, V] (held constant)
 * @param target token ids [N, T] (int32), or ignoreIndex
 * @param mask optional [N, T] (bool or 0/1)
 * @returns a scalar, or [N, T] with reduction 'none' (0 where not counted)
 * @see "Noise Augmented Fine Tuning for Mitigating Hallucinations in Large Language Models", 2025
 */
export function noisefitHybridLoss(...args: Call<[input: Tensor, clean: Tensor, target: Tensor, mask?: Tensor], NoisefitHybridLossOptions>): Tensor {
  const [input, clean, target, mask, { a, b, ignoreIndex, reduction }] = entry.check(args);
  const lp = sequenceLogProbs(input, target, mask, ignoreIndex);
  const logPn = input.logSoftmax(-1);
  const logPc = clean.detach().logSoftmax(-1);
  const pc = logPc.exp();
  const softCe = pc.mul(logPn).sum(-1).neg();
  const kl = pc.mul(logPc.sub(logPn)).sum(-1);
  const values = lp.mask.where(lp.tokens.neg().add(softCe.mul(a)).add(kl.mul(b)), 0);
  return applyReduction(values, { reduction, meanOver: lp.count.sum() });
}

export const entry = defineLoss({
  id: 'noisefit-hybrid-loss',
  fn: noisefitHybridLoss,
  args: [
    { name: 'input', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'clean', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is the token mean over counted positions (equal to the mean of 'none' when every position counts)",
  reading: 'Soft CE −Σ sg(p_c)·log p_n and consistency KL(sg(p_c) ‖ p_n) with a = b = 1: the abstract names the three terms only, so the soft target (the clean pass, detached), the divergence and the weights are this reading\'s.',
});
