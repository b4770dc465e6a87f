import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  beta: opt.number(0.05, 'β: the KL penalty toward the reference (catalog: 0.01–0.1; 0.05 chosen mid-range).', '[0, inf)'),
  baseline: opt.oneOf(['mean', 'none'], 'mean', "The baseline subtracted from the KL-penalised reward: 'mean' the batch mean (the catalog's choice), 'none' plain REINFORCE."),
  reduction: opt.reduction(),
};
export type KlRegularizedRlhfPgOptions = OptionsOf<typeof options>;

/**
 * KL-regularised online RLHF, as a REINFORCE surrogate: its gradient is an unbiased estimate of
 * ∇ E_{y∼π}[r(x, y)] − β·KL(π ‖ π_ref) from on-policy samples.
 *
 * R̃_b = r_b − β·(log π(y_b) − log π_ref(y_b)), the KL as a per-sample reward penalty; b = mean R̃ (or 0);
 * ℓ_b = −sg(R̃_b − b)·log π(y_b). The coefficient is held constant (stop-gradient), so the gradient is −(R̃_b − b)·
 * ∇log π(y_b), not the derivative of the value (which the bench's finite differences would see).
 *
 * @param reward rewards r [N] (held constant)
 * @param logProbs policy sequence log-probs log π(y) [N] of on-policy samples
 * @param refLogProbs reference sequence log-probs log π_ref(y) [N] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Tang et al., "Understanding the performance gap between online and offline alignment algorithms", 2024, arXiv:2405.08448
 * @see Williams, "Simple statistical gradient-following algorithms for connectionist reinforcement learning", Machine Learning 1992
 */
export function klRegularizedRlhfPgLoss(...args: Call<[reward: Tensor, logProbs: Tensor, refLogProbs: Tensor], KlRegularizedRlhfPgOptions>): Tensor {
  const [reward, logProbs, refLogProbs, { beta, baseline, reduction }] = entry.check(args);
  let shaped = reward.detach().sub(logProbs.detach().sub(refLogProbs.detach()).mul(beta));
  if (baseline === 'mean') shaped = shaped.sub(shaped.mean());
  return applyReduction(shaped.mul(logProbs).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'kl-regularized-rlhf-pg',
  fn: klRegularizedRlhfPgLoss,
  args: [
    { name: 'reward', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'logProbs', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'refLogProbs', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'REINFORCE: the coefficient sg(r − β·(log π − log π_ref) − b) is held constant, so the gradient is −coef·∇log π, not the derivative of the value.',
});
