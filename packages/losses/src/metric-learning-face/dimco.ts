import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';
import { targetMask } from '../parts/margin-softmax.js';
import { maskedLogSumExp } from '../parts/miners.js';

const options = {};
export type DimcoOptions = OptionsOf<typeof options>;

/** H(p) = −Σ_k p_k log p_k of distributions given by their logs l [..., K] (exp(l)·l is 0, not NaN, where p underflows). */
const entropyOfLog = (l: Tensor): Tensor => l.exp().mul(l).sum(-1).neg();

/**
 * DIMCO: maximise the mutual information between each discrete code position and the label, estimated on the batch.
 *
 * p_j(·|x_b) = softmax(u_bj) over k; p̄_j = mean_b p_j(·|x_b); p̄_j(·|y) = mean over the batch samples of class y;
 * π_y = n_y/N; I_j = H(p̄_j) − Σ_y π_y·H(p̄_j(·|y)); L = −Σ_j I_j. Stable form: every mean of probabilities is
 * taken in log space, log p̄ = logsumexp_b(log_softmax u) − log n (masked per class), so p·log p is computed from
 * a finite log and stays 0 where p underflows at logits of ±1e4.
 *
 * @param logits encoder logits u [N, M, K] (M code positions, each K-way)
 * @param labels class indices [N] (int32) in [0, N) (a batch holds at most N classes)
 * @returns a scalar
 * @see Lee et al., "Discrete Infomax Codes for Supervised Representation Learning", Entropy 2022, arXiv:1905.11656
 */
export function dimcoLoss(...args: Call<[logits: Tensor, labels: Tensor], DimcoOptions>): Tensor {
  const [logits, labels] = entry.check(args);
  const [n, m, k] = logits.shape;
  const logp = logits.logSoftmax(-1); // [N, M, K]
  const marginal = entropyOfLog(logp.logsumexp(0).sub(Math.log(n))); // [M]
  const member = targetMask(labels, n).T; // [Y = N, N]: sample b is of class y
  const count = member.cast(logits.dtype).sum(1); // [Y]
  const present = count.gt(0);
  const mask = member.unsqueeze(2).unsqueeze(3).expand([n, n, m, k]);
  const lse = maskedLogSumExp(logp.unsqueeze(0).expand([n, n, m, k]), mask, 1); // [Y, M, K], −∞ for absent classes
  const logCond = present.unsqueeze(1).unsqueeze(2).where(lse.sub(count.clamp(1).log().unsqueeze(1).unsqueeze(2)), 0);
  const conditional = entropyOfLog(logCond).mul(count.div(n).unsqueeze(1)).sum(0); // Σ_y π_y H(p̄_j(·|y)), [M]
  return conditional.sub(marginal).sum();
}

export const entry = defineLoss({
  id: 'dimco',
  fn: dimcoLoss,
  args: [
    { name: 'logits', shape: ['N', 'M', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label', classes: 'N' },
  ],
  options,
  output: 'batch',
  reading: 'The catalog\'s batch estimator: I_j = H(p̄_j) − Σ_y π_y H(p̄_j(·|y)) with batch class frequencies π_y, summed over code positions and negated; the independence regulariser between code positions (not fixed by the abstract) is left to the caller. d and k are the input\'s shape.',
});
