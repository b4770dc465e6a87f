import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { checkPositive } from '../parts/class-stats.js';
import { adjustedCe } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  gradientMagnitudes: opt.tensor(['C'], 'G [C] (> 0): running per-class gradient magnitudes (createGradientBalance().magnitudes); absent: all equal (plain CE).'),
  reduction: opt.reduction(),
};
export type GfcLossOptions = OptionsOf<typeof options>;

/** The state of the running per-class gradient magnitudes of gfc-loss. */
export interface GradientBalanceState { momentum: number; magnitudes: number[]; seen: boolean[] }

/**
 * Running per-class gradient magnitudes for gfc-loss: `update(logits, target)` after each step folds in
 * G_c ← μ·G_c + (1 − μ)·mean_{i: yᵢ=c} ‖∂CEᵢ/∂zᵢ‖₁ with ∂CE/∂z = softmax(z) − onehot(y) (closed form, no
 * backward pass), a class's first batch setting it directly. State: `{ momentum, magnitudes, seen }`.
 */
export function createGradientBalance({ numClasses, momentum = 0.9 }: { numClasses: number; momentum?: number }) {
  if (!(momentum >= 0 && momentum < 1)) throw new ArgumentError('createGradientBalance', `momentum must lie in [0, 1), got ${momentum}`);
  let state: GradientBalanceState = { momentum, magnitudes: Array(numClasses).fill(1), seen: Array(numClasses).fill(false) };
  return {
    get magnitudes(): number[] { return [...state.magnitudes]; },
    update(logits: Tensor, target: Tensor): number[] {
      const g = logits.detach().softmax(-1).sub(target.oneHot(numClasses).cast(logits.dtype)).abs().sum(-1).data();
      const y = target.data();
      const sum = Array(numClasses).fill(0);
      const cnt = Array(numClasses).fill(0);
      y.forEach((c, i) => { sum[c] += g[i]; cnt[c]++; });
      state = {
        ...state,
        magnitudes: state.magnitudes.map((old, c) => (cnt[c] === 0 ? old : state.seen[c] ? state.momentum * old + (1 - state.momentum) * (sum[c] / cnt[c]) : sum[c] / cnt[c])),
        seen: state.seen.map((s, c) => s || cnt[c] > 0),
      };
      return [...state.magnitudes];
    },
    stateDict: (): GradientBalanceState => ({ momentum: state.momentum, magnitudes: [...state.magnitudes], seen: [...state.seen] }),
    loadStateDict(s: GradientBalanceState) { state = { momentum: s.momentum, magnitudes: [...s.magnitudes], seen: [...s.seen] }; },
  };
}

/**
 * Gradient-balanced forgetting compensation (GFC) loss: cross-entropy re-weighted by the inverse of each
 * class's running gradient magnitude, so classes with weak gradients (forgotten old classes) are boosted.
 *
 * w_c = mean_j G_j / G_c (detached); ℓᵢ = w_{yᵢ}·CE(zᵢ, yᵢ) (max-shifted log-softmax), mean over samples.
 * G comes from `createGradientBalance` (an EMA of ‖∂CE/∂z‖₁ per class) updated by the training loop.
 *
 * @param input logits over old and new classes [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Dong et al., "Heterogeneous Forgetting Compensation for Class-Incremental Learning", ICCV 2023
 */
export function gfcLoss(...args: Call<[input: Tensor, target: Tensor], GfcLossOptions>): Tensor {
  const [input, target, { gradientMagnitudes, reduction }] = entry.check(args);
  let w: Tensor | null = null;
  if (gradientMagnitudes) {
    checkPositive('gfcLoss', 'gradientMagnitudes', gradientMagnitudes);
    const g = gradientMagnitudes.detach().cast(input.dtype);
    w = g.mean().div(g);
  }
  return applyReduction(adjustedCe(input, target, {}, w).values, { reduction });
}

export const entry = defineLoss({
  id: 'gfc-loss',
  fn: gfcLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'loss re-weighting w_c = mean_j G_j / G_c by the inverse running gradient magnitude per class (G an EMA of ‖softmax − onehot‖₁ over the class\'s samples, createGradientBalance); mean over samples.',
});
