import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cauchy, ictC, pseudoHuber, sampleSquaredNorm } from '../parts/gen-robust-dist.js';
import { applyReduction } from '../reduce.js';

const options = {
  distance: opt.oneOf(['pseudo-huber', 'cauchy', 'l2'] as const, 'pseudo-huber', "d: 'pseudo-huber' (iCT), 'cauchy' (sLCT) or squared 'l2' (the original CT)."),
  c: opt.number(null, "c of the distance; null: iCT's 0.00054·√d for pseudo-Huber, 1 for Cauchy.", '(0, inf)'),
  reduction: opt.reduction(),
};
export type ConsistencyTrainingLossOptions = OptionsOf<typeof options>;

/**
 * The consistency-training objective of iCT (and sLCT with the Cauchy distance).
 *
 * ℓᵢ = λ(σᵢ)·d(f_θ(x + σ_{i+1}z, σ_{i+1}), sg(f_θ(x + σᵢz, σᵢ))), λ(σᵢ) = 1/(σ_{i+1} − σᵢ), the same z in both
 * terms, the teacher the current weights under stop-gradient (no EMA). The network passes are the caller's:
 * f_θ(x, σ) = c_skip(σ)x + c_out(σ)F_θ(x, σ), c_skip = σ_d²/((σ − σ_min)² + σ_d²), c_out = (σ − σ_min)σ_d/√(σ_d² + σ²)
 * (σ_d = 0.5, σ_min = 0.002, σ_max = 80); the levels are Karras's σ_i = (σ_min^{1/ρ} + (i−1)/(K−1)(σ_max^{1/ρ} −
 * σ_min^{1/ρ}))^ρ, ρ = 7, K doubling from 10 to 1280 over training, and i is drawn with p(i) ∝ erf((log σ_{i+1} −
 * P_mean)/(√2 P_std)) − erf((log σ_i − P_mean)/(√2 P_std)), P_mean = −1.1, P_std = 2.0.
 *
 * @param input student output f_θ(x + σ_{i+1}z, σ_{i+1}) [N, ...]
 * @param target teacher output f_θ(x + σᵢz, σᵢ) [N, ...] (held constant)
 * @param sigma the lower noise levels σᵢ [N]
 * @param sigmaNext the higher noise levels σ_{i+1} > σᵢ [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Song & Dhariwal, "Improved Techniques for Training Consistency Models", ICLR 2024, arXiv:2310.14189;
 *   Dao et al., "Improved Training Technique for Latent Consistency Models", ICLR 2025
 */
export function consistencyTrainingLoss(...args: Call<[input: Tensor, target: Tensor, sigma: Tensor, sigmaNext: Tensor], ConsistencyTrainingLossOptions>): Tensor {
  const [input, target, sigma, sigmaNext, { distance, c, reduction }] = entry.check(args);
  const r2 = sampleSquaredNorm(input, target.detach());
  const d = distance === 'l2' ? r2 : distance === 'cauchy' ? cauchy(r2, c ?? 1) : pseudoHuber(r2, c ?? ictC(input));
  return applyReduction(d.div(sigmaNext.sub(sigma).detach()), { reduction });
}

export const entry = defineLoss({
  id: 'consistency-training-loss',
  fn: consistencyTrainingLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'sigma', shape: ['N'], dtype: 'float', domain: 'positive', stopGradient: true },
    { name: 'sigmaNext', shape: ['N'], dtype: 'float', domain: 'positive', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
