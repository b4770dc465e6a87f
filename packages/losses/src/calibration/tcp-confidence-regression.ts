import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weighting: opt.number(1, 'Weight of the misclassified samples (argmax z ≠ y); 1 = the plain mean (ConfidNet\'s default).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type TcpConfidenceRegressionOptions = OptionsOf<typeof options>;

/**
 * True-class-probability (TCP) confidence regression (ConfidNet): a confidence head learns to
 * predict the frozen classifier's probability of the true class.
 *
 * ℓᵢ = wᵢ (σ(uᵢ) − softmax(zᵢ)_{yᵢ})², wᵢ = `weighting` if argmax zᵢ ≠ yᵢ else 1, with the TCP
 * exp(log_softmax(z)_y) taken in log space. As ConfidNet's `SelfConfidMSELoss`, no stop-gradient
 * is applied: the classifier is frozen by its optimiser (pass detached logits), so gradients with
 * respect to z are the true derivatives. 'mean' is the plain mean over samples.
 *
 * @param logits frozen classifier logits [N, C]
 * @param target class indices [N] (int32)
 * @param confidenceLogits the confidence head's output u [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Corbière, Thome, Bar-Hen, Cord & Pérez, "Addressing Failure Prediction by Learning Model Confidence", NeurIPS 2019
 *   (the TCP baseline of Li, Zheng & Zhang, "Identifying Incorrect Classifications with Balanced Uncertainty", 2021)
 */
export function tcpConfidenceRegression(...args: Call<[logits: Tensor, target: Tensor, confidenceLogits: Tensor], TcpConfidenceRegressionOptions>): Tensor {
  const [logits, target, confidenceLogits, { weighting, reduction }] = entry.check(args);
  const tcp = logits.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1).exp();
  let values = confidenceLogits.sigmoid().sub(tcp).square();
  if (weighting !== 1) values = values.mul(logits.argmax(-1).ne(target).where(weighting, 1).cast(values.dtype));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'tcp-confidence-regression',
  fn: tcpConfidenceRegression,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'confidenceLogits', shape: ['N'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'per-sample',
});
