import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  zeta: opt.number(1.1, 'ζ: the upper stretch of the rectified sigmoid.', '(1, inf)'),
  gamma: opt.number(-0.1, 'γ: the lower stretch of the rectified sigmoid.', '(-inf, 0)'),
  lam: opt.number(0.01, 'λ: the weight of the rounding regulariser f_reg.', '[0, inf)'),
  beta: opt.number(20, 'β: the regulariser\'s exponent at this step (annealed from 20 to 2: see adaroundBeta).', '(0, inf)'),
  qMin: opt.integer(-8, 'n: the lowest integer of the grid (4-bit signed by default, the paper\'s main setting).'),
  qMax: opt.integer(7, 'p: the highest integer of the grid.'),
};
export type AdaroundOptions = OptionsOf<typeof options>;

/** The rectified sigmoid h(V) = clip(σ(V)(ζ − γ) + γ, 0, 1), AdaRound's soft rounding decision. */
export function rectifiedSigmoid(v: Tensor, zeta = 1.1, gamma = -0.1): Tensor {
  return v.sigmoid().mul(zeta - gamma).add(gamma).clamp(0, 1);
}

/**
 * β at optimisation step t of tMax: held at βstart for the first `warmup` fraction of the steps, then decayed
 * linearly to βend (the annealing of the authors' follow-up code, BRECQ's LinearTempDecay). A pure function of
 * the step: nothing to store.
 */
export function adaroundBeta(step: number, { tMax = 10000, warmup = 0.2, betaStart = 20, betaEnd = 2 } = {}): number {
  const start = warmup * tMax;
  if (step < start) return betaStart;
  return betaEnd + (betaStart - betaEnd) * Math.max(0, 1 - (step - start) / (tMax - start));
}

/**
 * AdaRound's layer-wise objective: the reconstruction error of the soft-quantised layer plus the rounding regulariser.
 *
 * h = rectifiedSigmoid(V); W̃ = s·clip(⌊W/s⌋ + h, n, p) (⌊W/s⌋ a constant); L = ‖WX − W̃X‖²_F + λ·Σ_ij (1 − |2h_ij − 1|^β),
 * with the layer input X as rows x_m (so WX is x Wᵀ). f_reg pushes each h to 0 or 1; the hard rounding afterwards is
 * ⌊W/s⌋ + 1[h ≥ ½]. Every term is bounded in V, so large |V| stays finite (h saturates at 0 or 1, where the clip
 * passes no gradient).
 *
 * @param weight full-precision weights W [O, I]
 * @param v rounding parameters V [O, I] (the trained variable)
 * @param input layer inputs X [M, I]
 * @param scale quantisation step s, per output channel [O, 1] or one [] (positive)
 * @returns a scalar
 * @see Nagel et al., "Up or Down? Adaptive Rounding for Post-Training Quantization", ICML 2020
 */
export function adaround(...args: Call<[weight: Tensor, v: Tensor, input: Tensor, scale: Tensor], AdaroundOptions>): Tensor {
  const [weight, v, input, scale, { zeta, gamma, lam, beta, qMin, qMax }] = entry.check(args);
  const h = rectifiedSigmoid(v, zeta, gamma);
  const floor = weight.detach().div(scale.detach()).floor();
  const soft = floor.add(h).clamp(qMin, qMax).mul(scale);
  const recon = input.matmul(weight.sub(soft).transpose(0, 1)).square().sum();
  const reg = h.mul(2).sub(1).abs().pow(beta).neg().add(1).sum();
  return recon.add(reg.mul(lam));
}

export const entry = defineLoss({
  id: 'adaround',
  fn: adaround,
  args: [
    { name: 'weight', shape: ['O', 'I'], dtype: 'float', domain: 'real' },
    { name: 'v', shape: ['O', 'I'], dtype: 'float', domain: 'real' },
    { name: 'input', shape: ['M', 'I'], dtype: 'float', domain: 'real' },
    { name: 'scale', shape: ['O', 1], dtype: 'float', domain: 'positive', or: { shape: [], dtype: 'float', domain: 'positive' } },
  ],
  options,
  output: 'batch',
});
