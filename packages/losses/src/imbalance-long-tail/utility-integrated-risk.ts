import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  utility: opt.tensor(['C', 'C'], 'U [C, C] (≥ 0, every row with a positive entry): U[y, k] = gain of predicting k when the truth is y; absent: the identity (ensemble NLL).'),
  reduction: opt.reduction(),
};
export type UtilityIntegratedRiskOptions = OptionsOf<typeof options>;

/**
 * Utility-integrated risk: the negative log of the utility-weighted posterior predictive.
 *
 * p̄ = (1/M)Σ_m softmax(z_m); ℓᵢ = −log Σ_k U[yᵢ, k]·p̄_ik, computed as −logsumexp_k(log U[yᵢ, k] + log p̄_ik)
 * with log p̄ = logsumexp_m(log_softmax(z_m)) − log M (zero utilities are −inf terms). The posterior
 * regulariser (an ensemble's repulsive term or a variational KL/N) belongs to the model: add it
 * separately. Decision rule: d*(x) = argmax_d Σ_y U[y, d]·p̄_y(x).
 *
 * @param input posterior samples of logits z [M, N, C] (ensemble members or weight samples)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Li et al., "Long-tailed Classification from a Bayesian-decision-theory Perspective", 2023
 */
export function utilityIntegratedRisk(...args: Call<[input: Tensor, target: Tensor], UtilityIntegratedRiskOptions>): Tensor {
  const [input, target, { utility, reduction }] = entry.check(args);
  const [m, , c] = input.shape;
  const logPbar = input.logSoftmax(-1).logsumexp(0).sub(Math.log(m)); // [N, C]
  if (!utility) return applyReduction(logPbar.gather(-1, target.unsqueeze(-1)).squeeze(-1).neg(), { reduction });
  const u = utility.detach().cast(input.dtype);
  const data = u.data();
  for (let y = 0; y < c; y++) {
    let anyPositive = false;
    for (let k = 0; k < c; k++) {
      if (data[y * c + k] < 0) throw new ArgumentError('utilityIntegratedRisk', `option 'utility': entry [${y}, ${k}] is ${data[y * c + k]}, expected ≥ 0`);
      anyPositive ||= data[y * c + k] > 0;
    }
    if (!anyPositive) throw new ArgumentError('utilityIntegratedRisk', `option 'utility': row ${y} has no positive gain (the loss would be infinite)`);
  }
  const logU = u.log().indexSelect(0, target); // [N, C]
  return applyReduction(logU.add(logPbar).logsumexp(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'utility-integrated-risk',
  fn: utilityIntegratedRisk,
  args: [
    { name: 'input', shape: ['M', 'N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  batchDim: 1,
  reading: '−log Σ_k U[y, k]·p̄_k with p̄ the mean of the posterior samples\' softmaxes; U is an input (the identity by default) and the posterior regulariser is left to the model.',
});
