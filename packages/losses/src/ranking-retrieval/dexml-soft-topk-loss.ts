import { noGrad, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  k: opt.integer(5, 'k: the soft top-k mass (Precision@k\'s k); k ≥ L puts every label in the top k (loss 0).', '[1, inf)'),
  temperature: opt.number(1, 'τ of the sigmoids (catalog null: 1, scores on the scale of the caller\'s scaled similarities).', '(0, inf)'),
  iterations: opt.integer(64, 'Bisection steps for the threshold (each halves the bracket).', '[1, 200]'),
  reduction: opt.reduction(),
};
export type DexmlSoftTopkOptions = OptionsOf<typeof options>;

/**
 * Soft top-k loss for dual-encoder extreme multi-label classification: the positives' log-mass under a soft top-k
 * operator in place of the decoupled softmax.
 *
 * T_k(s)_l = σ((s_l − t)/τ) with t the threshold that makes Σ_l T_l = k, found by bisection (held out of the
 * graph); ℓ = −Σ_{l∈P} log T_l = Σ_{l∈P} softplus(−(s_l − t)/τ). The threshold's gradient is the implicit one:
 * ∂t/∂s_l = σ'_l/Σ_m σ'_m (from Σ σ((s − t)/τ) = k), attached as t = t* + Σ_l (σ'_l/Σσ')·(s_l − sg(s_l)).
 * Reading: the sigmoid-threshold relaxation of top-k (the paper's exact operator is not in the abstract).
 *
 * @param input scores s [N, L]
 * @param target multi-hot positives [N, L]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see "Dual-Encoders for Extreme Multi-Label Classification", ICLR 2024
 */
export function dexmlSoftTopkLoss(...args: Call<[input: Tensor, target: Tensor], DexmlSoftTopkOptions>): Tensor {
  const [s, y, { k, temperature: tau, iterations, reduction }] = entry.check(args);
  const L = s.shape[1];
  if (k >= L) return applyReduction(s.mul(0).sum(1), { reduction });
  const tStar = noGrad(() => {
    const sd = s.detach();
    let lo = sd.amin(1, true).sub(tau * 50);
    let hi = sd.amax(1, true).add(tau * 50);
    for (let i = 0; i < iterations; i++) {
      const mid = lo.add(hi).mul(0.5);
      const over = sd.sub(mid).div(tau).sigmoid().sum(1, true).gt(k); // mass above k: raise the threshold
      lo = over.where(mid, lo);
      hi = over.where(hi, mid);
    }
    return lo.add(hi).mul(0.5);
  });
  const sig = s.detach().sub(tStar).div(tau).sigmoid();
  const d = sig.mul(sig.neg().add(1));
  const dt = d.div(d.sum(1, true).clamp(1e-300));
  const t = tStar.add(dt.mul(s.sub(s.detach())).sum(1, true));
  return applyReduction(s.sub(t).div(tau).neg().softplus().mul(y).sum(1), { reduction });
}

export const entry = defineLoss({
  id: 'dexml-soft-topk-loss',
  fn: dexmlSoftTopkLoss,
  args: [
    { name: 'input', shape: ['N', 'L'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'L'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
  reading: 'T_k = σ((s − t)/τ) with Σ T = k (bisection), implicit gradient of t; loss −Σ over positives of log T_k.',
});
