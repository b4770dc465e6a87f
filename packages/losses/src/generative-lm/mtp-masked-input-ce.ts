import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  mtpWeight: opt.number(1, 'w₁: the weight of the multi-token term (the paper gives none; 1 weighs each future token like the next one).', '[0, inf)'),
  samplerWeight: opt.number(1, 'w₂: the weight of the sampler head\'s term (the paper gives none; 1).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type MtpMaskedInputCeOptions = OptionsOf<typeof options>;

/** −log softmax(z)[y] along the last dim. */
const ce = (logits: Tensor, y: Tensor): Tensor => logits.logSoftmax(-1).gather(-1, y.unsqueeze(-1)).squeeze(-1).neg();

/**
 * Masked-input multi-token prediction: cross-entropy at k appended mask positions for the k future tokens.
 *
 * ℓ_n = CE(ntp_n, x_{t+1}) + w₁·Σ_{i=1..k} CE(mask_{n,i}, x_{t+i}) + w₂·Σ_i CE(sampler_{n,i}, x_{t+i}); the NTP and
 * sampler-head terms enter when their logits are given. The model pass (k <mask> tokens appended to the prefix,
 * gated LoRA active only on them; the sampler MLP on hidden state + previous token) is the caller's. Add
 * mtp-latent-consistency for the paper's full objective.
 *
 * @param input logits at the k mask positions [N, K, V]
 * @param target the future tokens x_{t+1..t+k} [N, K] (int32)
 * @param ntpLogits optional next-token logits [N, V] (their target is x_{t+1}, target[:, 0])
 * @param samplerLogits optional sampler-head logits [N, K, V]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Samragh et al., "Your LLM Knows the Future: Uncovering Its Multi-Token Prediction Potential", 2025
 */
export function mtpMaskedInputCe(...args: Call<[input: Tensor, target: Tensor, ntpLogits?: Tensor, samplerLogits?: Tensor], MtpMaskedInputCeOptions>): Tensor {
  const [input, target, ntpLogits, samplerLogits, { mtpWeight, samplerWeight, reduction }] = entry.check(args);
  let values = ce(input, target).sum(-1).mul(mtpWeight);
  if (ntpLogits) values = values.add(ce(ntpLogits, target.narrow(1, 0, 1).squeeze(1)));
  if (samplerLogits) values = values.add(ce(samplerLogits, target).sum(-1).mul(samplerWeight));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'mtp-masked-input-ce',
  fn: mtpMaskedInputCe,
  args: [
    { name: 'input', shape: ['N', 'K', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'K'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'ntpLogits', shape: ['N', 'V'], dtype: 'float', domain: 'logits', optional: true },
    { name: 'samplerLogits', shape: ['N', 'K', 'V'], dtype: 'float', domain: 'logits', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'L = L_NTP + w₁·Σ_i CE_i + w₂·Σ_i CE_sampler,i, each CE summed over the k future positions, with w₁ = w₂ = 1: the abstract gives neither the weights across i nor across terms.',
});
