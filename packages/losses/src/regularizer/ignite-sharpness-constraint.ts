import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lam: opt.number(0, 'λ: the current dual variable (kept by createIgniteDual; 0 at the start).', '[0, inf)'),
  eps: opt.number(0.1, 'ε: the allowed sharpness h(θ) (not given in the abstract; 0.1).', '[0, inf)'),
};
export type IgniteSharpnessConstraintOptions = OptionsOf<typeof options>;

/** IGNITE's dual variable, as explicit serialisable state: λ ← max(0, λ + η_λ·(h − ε)) after each step. */
export interface IgniteDual {
  lam(): number;
  /** Dual ascent on the measured sharpness h (a number or a scalar tensor). */
  update(h: number | Tensor): number;
  stateDict(): { lam: number };
  loadStateDict(state: { lam: number }): void;
}

export function createIgniteDual({ etaLam = 0.01, eps = 0.1, lam = 0 } = {}): IgniteDual {
  let value = lam;
  return {
    lam: () => value,
    update: (h) => { value = Math.max(0, value + etaLam * ((typeof h === 'number' ? h : h.item()) - eps)); return value; },
    stateDict: () => ({ lam: value }),
    loadStateDict: (s) => { value = s.lam; },
  };
}

/**
 * IGNITE: offline-optimisation surrogate training under a constraint on the surrogate's sharpness, as a Lagrangian.
 *
 * h(θ) = mean_n ‖∇_θ g_θ(x_n)‖₂ (the per-sample gradients of the surrogate's output, with createGraph so that h is
 * differentiable in θ); L = L_base + λ·(h − ε), λ ≥ 0 updated by dual ascent (createIgniteDual). The norm floors
 * Σg² at 1e-30 (a zero gradient row stays finite). The base loss (e.g. the surrogate's MSE on the offline data)
 * and the per-sample gradients are arguments.
 *
 * @param input the base loss L_base [] (scalar)
 * @param grads per-sample gradients ∇_θ g_θ(x_n) flattened [N, P]
 * @returns a scalar
 * @see "Incorporating Surrogate Gradient Norm to Improve Offline Optimization Techniques" (IGNITE), NeurIPS 2024
 */
export function igniteSharpnessConstraint(...args: Call<[input: Tensor, grads: Tensor], IgniteSharpnessConstraintOptions>): Tensor {
  const [base, grads, { lam, eps }] = entry.check(args);
  const h = grads.square().sum(-1).clamp(1e-30).sqrt().mean();
  return base.add(h.sub(eps).mul(lam));
}

export const entry = defineLoss({
  id: 'ignite-sharpness-constraint',
  fn: igniteSharpnessConstraint,
  args: [
    { name: 'input', shape: [], dtype: 'float', domain: 'real' },
    { name: 'grads', shape: ['N', 'P'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'Sharpness proxy h = mean_n ‖∇_θ g_θ(x_n)‖₂ from given per-sample gradients; Lagrangian L + λ(h − ε) with λ from dual ascent (createIgniteDual). The catalog\'s ρ (a perturbation radius, from memory) is not used.',
});
