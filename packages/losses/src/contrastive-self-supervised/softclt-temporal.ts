import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';

const options = {
  tauT: opt.number(1, 'τ_T: the sharpness of the soft temporal assignment 2σ(−τ_T·|t − s|); the paper tunes it per dataset, 1 is a neutral default.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SoftcltTemporalOptions = OptionsOf<typeof options>;

/**
 * SoftCLT's soft temporal contrastive loss (time series): within a series, the other timestamps are soft positives,
 * weighted by their distance in time.
 *
 * For series i, p((i,t),(i,s)) = softmax_{s ≠ t}(r_it·r_is) over the 2T timestamps of the two views;
 * w_T(t, s) = 2σ(−τ_T·|t − (s mod T)|); ℓ(i, t) = −log p((i,t),(i,t±T)) − Σ_{s ∉ {t, t±T}} w_T(t, s)·log p((i,t),(i,s));
 * mean over the 2T anchors. Stable form: the self-similarity is −∞ in a max-shifted logSoftmax (the InfoNCE core
 * with soft weights). SoftCLT's total is λ·ℓ_inst + (1 − λ)·ℓ_temp (λ = 0.5) with softclt-instance.
 *
 * @param input representations [2, N, T, D] of the two augmented views
 * @returns a scalar, or [N] with reduction 'none' (per series, the mean over its 2T anchors)
 * @see Lee et al., "Soft Contrastive Learning for Time Series", ICLR 2024
 */
export function softcltTemporalLoss(...args: Call<[input: Tensor], SoftcltTemporalOptions>): Tensor {
  const [input, { tauT, reduction }] = entry.check(args);
  const [, n, t, d] = input.shape;
  const r = input.permute([1, 0, 2, 3]).reshape([n, 2 * t, d]);
  const idx = input.newOnes([t]).cumsum(0).sub(1);
  const tt = cat([idx, idx], 0);
  const w0 = tt.unsqueeze(1).sub(tt.unsqueeze(0)).abs().mul(-tauT).sigmoid().mul(2);
  const eye = offDiagonal(t, input).logicalNot();
  const none = eye.logicalAnd(eye.logicalNot());
  const other = cat([cat([none, eye], 1), cat([eye, none], 1)], 0);
  const off = offDiagonal(2 * t, input);
  const weights = other.where(1, off.where(w0, 0));
  const per = softmaxContrast(r.matmul(r.transpose(1, 2)), weights.expand([n, 2 * t, 2 * t]), { candidates: off.expand([n, 2 * t, 2 * t]), normalize: false });
  return applyReduction(per.mean(-1), { reduction });
}

export const entry = defineLoss({
  id: 'softclt-temporal',
  fn: softcltTemporalLoss,
  args: [{ name: 'input', shape: [2, 'N', 'T', 'D'], dtype: 'float', domain: 'real' }],
  options,
  output: 'per-sample',
  batchDim: 1,
  reading: 'The catalog\'s form at one scale: hard positive (the same timestamp in the other view) with weight 1, every other timestamp s with weight 2σ(−τ_T·|t − s mod T|), the self-pair excluded.',
});
