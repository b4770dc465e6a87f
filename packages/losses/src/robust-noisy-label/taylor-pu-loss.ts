import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  order: opt.integer(1, 'n: the order of the Taylor expansion of log in the unlabeled term (1 in most released configs, 2 in some).', '[1, inf)'),
};
export type TaylorPuLossOptions = OptionsOf<typeof options>;

/**
 * Taylor variational loss for class-prior-free positive-unlabeled learning.
 *
 * Φ = σ(f). The variational PU loss is log(mean_U Φ) − mean_P log Φ; the Taylor version replaces the log of
 * the unlabeled term by its order-n expansion around 1, log t ≈ −Σ_{k=1..n} (1 − t)^k/k (as the authors'
 * code does), which bounds that term's gradient weight. The positive term is −mean_P logσ(f) (the stable
 * softplus form) and 1 − t = mean_U σ(−f): finite at logits of ±1e4.
 *
 * @param positive logits on labelled positives [P]
 * @param unlabeled logits on unlabeled samples [U]
 * @returns a scalar
 * @see Zhao, Wang & Zhong, "Class Prior-Free Positive-Unlabeled Learning with Taylor Variational Loss for
 *   Hyperspectral Remote Sensing Imagery", ICCV 2023
 */
export function taylorPuLoss(...args: Call<[positive: Tensor, unlabeled: Tensor], TaylorPuLossOptions>): Tensor {
  const [positive, unlabeled, { order }] = entry.check(args);
  const oneMinusT = unlabeled.neg().sigmoid().mean(); // 1 − mean_U σ(f)
  let taylorLog = oneMinusT.mul(0);
  for (let k = 1; k <= order; k++) taylorLog = taylorLog.sub(oneMinusT.pow(k).div(k));
  return taylorLog.sub(positive.logSigmoid().mean());
}

export const entry = defineLoss({
  id: 'taylor-pu-loss',
  fn: taylorPuLoss,
  args: [
    { name: 'positive', shape: ['P'], dtype: 'float', domain: 'logits' },
    { name: 'unlabeled', shape: ['U'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'batch',
  reading: 'Only the unlabeled term log(mean_U σ(f)) is expanded, to order n around 1 (the authors\' TaylorVarPULoss); the positive term stays −mean_P log σ(f); the self-calibrated optimisation is a training procedure.',
});
