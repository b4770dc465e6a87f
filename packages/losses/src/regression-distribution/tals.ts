import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambdaLoose: opt.number(0.01, 'λ: the weight of errors at or below their threshold (LOOSE_WEIGHT of the TokenHMR code).', '[0, inf)'),
  distance: opt.oneOf(['l1', 'l2'] as const, 'l1', "The supervised error per element: 'l1' |x̂ − x| (the 2D keypoint term) or 'l2' (x̂ − x)² (the MSE on rotation matrices of the pose term)."),
  reduction: opt.reduction('sum'),
};
export type TalsOptions = OptionsOf<typeof options>;

/**
 * Threshold-Adaptive Loss Scaling (TALS): a gross error gets full weight, an error already inside its per-joint
 * threshold only λ of it.
 *
 * Per sample n and joint j: the gate error g_nj = c_nj·Σ_d (x̂_njd − x_njd)² (or the caller's `gate`, e.g. the
 * geodesic joint-angle error of the pose term); v_nj = 1[g_nj > τ_j], held constant (a comparison, no gradient);
 * ℓ_n = Σ_j c_nj·(v_nj + λ·(1 − v_nj))·Σ_d d(x̂_njd, x_njd), with d = |·| (2D keypoints) or (·)² (rotation
 * matrices). The default 'sum' over samples is the code's total.
 *
 * @param input predictions x̂ [N, J, ...] (2D keypoints [N, J, 2]; rotation matrices [N, J, 3, 3])
 * @param target ground truth x [N, J, ...]
 * @param confidence c [N, J] (keypoint confidences; has-ground-truth flags for the pose term)
 * @param threshold τ [J] per-joint thresholds (TokenHMR's constants from data analysis)
 * @param gate optional gate errors [N, J] compared with τ (default c·‖x̂ − x‖²)
 * @returns the sum over samples (default); 'mean'; or [N] with reduction 'none'
 * @see Dwivedi et al., "TokenHMR: Advancing Human Mesh Recovery with a Tokenized Pose Representation", CVPR 2024, arXiv:2404.16752
 */
export function talsLoss(...args: Call<[input: Tensor, target: Tensor, confidence: Tensor, threshold: Tensor, gate?: Tensor | null], TalsOptions>): Tensor {
  const [input, target, conf, tau, gate, { lambdaLoose, distance, reduction }] = entry.check(args);
  const diff = input.sub(target);
  const rest = Array.from({ length: diff.ndim - 2 }, (_, i) => i + 2);
  const per = (t: Tensor) => (rest.length ? t.sum(rest) : t); // [N, J]
  const g = gate ?? conf.mul(per(diff.detach().square()));
  const v = g.detach().gt(tau.detach()).cast(input.dtype);
  const w = conf.detach().mul(v.add(v.neg().add(1).mul(lambdaLoose)));
  return applyReduction(w.mul(per(distance === 'l1' ? diff.abs() : diff.square())).sum(1), { reduction });
}

export const entry = defineLoss({
  id: 'tals',
  fn: talsLoss,
  args: [
    { name: 'input', shape: ['N', 'J', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'J', '...'], dtype: 'float', domain: 'real' },
    { name: 'confidence', shape: ['N', 'J'], dtype: 'float', domain: 'nonneg', stopGradient: true },
    { name: 'threshold', shape: ['J'], dtype: 'float', domain: 'nonneg', stopGradient: true },
    { name: 'gate', shape: ['N', 'J'], dtype: 'float', domain: 'nonneg', optional: true, stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
