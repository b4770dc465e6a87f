import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(0.03, 'λ: the weight of the margin-control term log(1 + ‖softmax(Z)‖²_F).', '[0, inf)'),
};
export type FedldMarginControlOptions = OptionsOf<typeof options>;

/**
 * FedLD's margin-control regularised cross-entropy (the local loss of each client).
 *
 * L = mean_i CE(Zᵢ, yᵢ) + λ·log(1 + ‖softmax(Z)‖²_F), the Frobenius norm over the whole batch's probability matrix
 * (as the authors' code, torch.norm of the [B, K] softmax). CE is a max-shifted log softmax, and ‖softmax(Z)‖²_F ∈
 * [B/K, B] is bounded, so logits of ±1e4 stay finite (log1p keeps the small-norm end accurate).
 *
 * @param input logits Z [B, K]
 * @param target class indices [B] (int32)
 * @returns a scalar (the norm term couples the batch, so there are no per-sample values)
 * @see Zeng et al., "Tackling Data Heterogeneity in Federated Learning via Loss Decomposition", MICCAI 2024
 */
export function fedldMarginControl(...args: Call<[input: Tensor, target: Tensor], FedldMarginControlOptions>): Tensor {
  const [input, target, { lambda }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  const ce = logp.gather(-1, target.unsqueeze(-1)).neg().mean();
  return ce.add(logp.exp().square().sum().log1p().mul(lambda));
}

export const entry = defineLoss({
  id: 'fedld-margin-control',
  fn: fedldMarginControl,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
});
