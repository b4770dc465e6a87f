import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  tau: opt.number(0.2, 'τ: the temperature of the feature similarities.', '(0, inf)'),
  alpha: opt.number(1, 'α: the weight of the regulariser (the paper uses 1 to 4); the regression loss is the caller\'s.', '[0, inf)'),
  omega: opt.number(-1, 'ω: the similarity threshold on sim(a, b) = −|a − b| (catalog null, task-specific: −1 makes labels within one unit, a year of age on AgeDB, positives).', '(-inf, 0]'),
  eta: opt.number(1, 'η: the pushing weight\'s scale when no per-anchor weights are passed.', '[0, inf)'),
};
export type ConrOptions = OptionsOf<typeof options>;

/**
 * ConR: a contrastive regulariser for imbalanced regression that pulls together samples of similar labels and
 * pushes apart samples whose predictions are close but whose labels are not.
 *
 * sim(a, b) = −|a − b|; for anchor j (all other samples q ≠ j): P_j = {sim(y_j, y_q) ≥ ω}, N_j = {sim(y_j, y_q)
 * < ω and sim(ŷ_j, ŷ_q) ≥ ω}; anchors have P_j and N_j nonempty. With l_jq = z_j·z_q/τ and S_jq = η_j·(1 −
 * sim(y_j, y_q)): L_j = −log((1/|P_j|)·Σ_P e^l / (Σ_P e^l + Σ_N S·e^l)) = log|P_j| − lse_P l + lse_{P∪N}(l +
 * log S') (S' = 1 on P), all logsumexps max-shifted; L = α·mean over anchors (0 when none). Reading: the
 * pushing weight's rarity factor η_j is the caller's (inverse label density), the sets are hard (held constant).
 *
 * @param input features z [N, D] (both augmentations stacked; L2-normalised by the caller)
 * @param target labels y [N]
 * @param predictions ŷ [N] (held constant: they only select the negatives)
 * @param eta optional per-anchor pushing weights η [N] (positive)
 * @returns a scalar
 * @see "ConR: Contrastive Regularizer for Deep Imbalanced Regression", ICLR 2024
 */
export function conrLoss(...args: Call<[input: Tensor, target: Tensor, predictions: Tensor, eta?: Tensor | null], ConrOptions>): Tensor {
  const [z, y, yhat, etaT, { tau, alpha, omega, eta }] = entry.check(args);
  const N = z.shape[0];
  const dy = y.unsqueeze(1).sub(y.unsqueeze(0)).abs().detach();
  const dp = yhat.unsqueeze(1).sub(yhat.unsqueeze(0)).abs().detach();
  const offDiag = z.newOnes([N, N]).triu(1).add(z.newOnes([N, N]).tril(-1)).gt(0);
  const pos = dy.neg().ge(omega).logicalAnd(offDiag);
  const neg = dy.neg().lt(omega).logicalAnd(dp.neg().ge(omega)).logicalAnd(offDiag);
  const fdt = z.dtype;
  const anchor = pos.cast(fdt).sum(1).gt(0).logicalAnd(neg.cast(fdt).sum(1).gt(0));
  const l = z.matmul(z.transpose(0, 1)).div(tau);
  const s = (etaT ? etaT.detach().unsqueeze(1) : z.newOnes([N, 1]).mul(eta)).mul(dy.add(1));
  const logW = pos.where(0, neg.where(s.clamp(1e-300).log(), -Infinity));
  // Rows that are not anchors get finite dummies (0) so that no logsumexp meets a row of −∞.
  const row = anchor.unsqueeze(1);
  const lsePos = row.where(pos.where(l, -Infinity), 0).logsumexp(1);
  const lseAll = row.where(l.add(logW), 0).logsumexp(1);
  const perAnchor = pos.cast(fdt).sum(1).clamp(1).log().sub(lsePos).add(lseAll);
  const a = anchor.cast(fdt);
  return perAnchor.mul(a).sum().div(a.sum().clamp(1)).mul(alpha);
}

export const entry = defineLoss({
  id: 'conr',
  fn: conrLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'unit-norm' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'predictions', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'eta', shape: ['N'], dtype: 'float', domain: 'positive', optional: true, stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'sim = −|Δ|; positives sim(y) ≥ ω, negatives sim(y) < ω with sim(ŷ) ≥ ω; pushing weight η_j·(1 + |y_j − y_q|); α·mean over anchors with both sets nonempty; features as given (the caller normalises).',
});
