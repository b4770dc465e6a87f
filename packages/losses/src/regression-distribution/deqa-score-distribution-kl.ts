import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = { reduction: opt.reduction() };
export type DeqaScoreDistributionKlOptions = OptionsOf<typeof options>;

/**
 * DeQA-Score's soft-label loss: the KL divergence from a discretised Gaussian over the level tokens to the LM's
 * next-token distribution.
 *
 * Levels k = 1..L (L = the number of level tokens, 5 in the paper) with anchors c_k = k; target p_k = Φ((c_k + ½ −
 * μ)/σ) − Φ((c_k − ½ − μ)/σ), renormalised over the L levels, 0 on every other token; ℓ = Σ_k p_k·(log p_k −
 * log softmax(z)_{id_k}) with 0·log 0 = 0 and the log-softmax max-shifted over the full vocabulary. Reading: the
 * paper's further adjustment of p that preserves μ and σ is not specified and is left out; the target is held
 * constant (μ, σ are the MOS statistics).
 *
 * @param input LM logits at the level-token position z [N, V]
 * @param mean MOS means μ [N] on the level scale 1..L
 * @param std MOS standard deviations σ [N] (positive)
 * @param levels the level tokens' ids [L] (int32), in level order
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see "Teaching Large Language Models to Regress Accurate Image Quality Scores using Score Distribution", CVPR 2025
 */
export function deqaScoreDistributionKl(...args: Call<[input: Tensor, mean: Tensor, std: Tensor, levels: Tensor], DeqaScoreDistributionKlOptions>): Tensor {
  const [z, mu, sigma, levels, { reduction }] = entry.check(args);
  const L = levels.shape[0];
  const c = z.newZeros([L]).add(1).cumsum(0); // 1..L
  const cdf = (u: Tensor) => u.div(Math.SQRT2).erf().add(1).mul(0.5);
  const m = mu.detach().unsqueeze(1);
  const s = sigma.detach().unsqueeze(1);
  const mass = cdf(c.add(0.5).sub(m).div(s)).sub(cdf(c.sub(0.5).sub(m).div(s))); // [N, L]
  const p = mass.div(mass.sum(1, true).clamp(1e-300));
  const logq = z.logSoftmax(1).gather(1, levels.unsqueeze(0).expand([z.shape[0], L]));
  return applyReduction(p.xlogy(p).sub(p.mul(logq)).sum(1), { reduction });
}

export const entry = defineLoss({
  id: 'deqa-score-distribution-kl',
  fn: deqaScoreDistributionKl,
  args: [
    { name: 'input', shape: ['N', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'mean', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'std', shape: ['N'], dtype: 'float', domain: 'positive', stopGradient: true },
    { name: 'levels', shape: ['L'], dtype: 'int', domain: 'label', classes: 'V' },
  ],
  options,
  output: 'per-sample',
  reading: 'Target: the Gaussian N(μ, σ²) integrated over [k − ½, k + ½] for k = 1..L, renormalised (no μ/σ-preserving adjustment); KL(p ‖ softmax over the full vocabulary) at the level tokens.',
});
