import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  eps: opt.number(1e-8, 'ε inside the square roots (finite gradient at p·p̂ = 0).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type ThurstoneFidelityOptions = OptionsOf<typeof options>;

/** Φ((μ_A − μ_B)/√(σ²_A + σ²_B)) of means and variances [N, 2] (column 0: image A, 1: image B). */
export function thurstoneProbability(mean: Tensor, variance: Tensor): Tensor {
  const d = mean.narrow(1, 0, 1).sub(mean.narrow(1, 1, 1)).squeeze(1);
  const s = variance.sum(1).sqrt();
  return d.div(s).mul(Math.SQRT1_2).erf().add(1).mul(0.5);
}

/**
 * Thurstone fidelity loss (DeQA-Score): the fidelity distance between the predicted and the ground-truth
 * Thurstone preference probabilities of an image pair.
 *
 * p̂ = Φ((μ̂_A − μ̂_B)/√(σ̂²_A + σ̂²_B)), p = Φ((μ_A − μ_B)/√(σ²_A + σ²_B)) (no gradient), Φ(x) = ½(1 + erf(x/√2));
 * ℓ = 1 − √(p·p̂ + ε) − √((1 − p)(1 − p̂) + ε). The predicted moments come from the level-token probabilities
 * (μ = Σ p_k c_k, σ² = Σ p_k (c_k − μ)²), computed by the caller.
 *
 * @param input predicted means [N, 2] (images A, B)
 * @param variance predicted variances [N, 2]
 * @param targetMean ground-truth means [N, 2] (no gradient)
 * @param targetVariance ground-truth variances [N, 2] (no gradient)
 * @returns a scalar, or [N] with reduction 'none'
 * @see You et al., "Teaching Large Language Models to Regress Accurate Image Quality Scores using Score Distribution", CVPR 2025
 */
export function thurstoneFidelityLoss(...args: Call<[input: Tensor, variance: Tensor, targetMean: Tensor, targetVariance: Tensor], ThurstoneFidelityOptions>): Tensor {
  const [mean, variance, tMean, tVar, { eps, reduction }] = entry.check(args);
  const pHat = thurstoneProbability(mean, variance);
  const p = thurstoneProbability(tMean.detach(), tVar.detach());
  const v = p.mul(pHat).add(eps).sqrt().add(p.neg().add(1).mul(pHat.neg().add(1)).add(eps).sqrt()).neg().add(1);
  return applyReduction(v, { reduction });
}

export const entry = defineLoss({
  id: 'thurstone-fidelity-loss',
  fn: thurstoneFidelityLoss,
  args: [
    { name: 'input', shape: ['N', 2], dtype: 'float', domain: 'real' },
    { name: 'variance', shape: ['N', 2], dtype: 'float', domain: 'positive' },
    { name: 'targetMean', shape: ['N', 2], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'targetVariance', shape: ['N', 2], dtype: 'float', domain: 'positive', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
