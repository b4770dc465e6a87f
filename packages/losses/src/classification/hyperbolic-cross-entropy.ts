import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { expmap0, hyperbolicMlrLogits, project } from '../parts/poincare-ball.js';
import { applyReduction } from '../reduce.js';
import { crossEntropy } from './cross-entropy.js';

const options = {
  c: opt.number(1, 'c: the ball has curvature −c.', '(0, inf)'),
  clipRadius: opt.number(2.3, 'r: Euclidean features are clipped to norm ≤ r before the exponential map (Infinity: no clipping).', '(0, inf]'),
  reduction: opt.reduction(),
};
export type HyperbolicCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Hyperbolic cross-entropy: softmax cross-entropy of Poincaré-ball multinomial logistic regression
 * (Ganea et al. 2018) on clipped Euclidean features, the classifier of Hyp-OC.
 *
 * v ← v·min(1, r/‖v‖), x = exp₀(v) (projected inside the ball); class offsets p_k = exp₀(offset_k) and
 * normals a_k = normal_k·(1 − c‖p_k‖²) (hyptorch's HypMLR parameterisation, so any real parameters are
 * valid); logits z_ik = (λ_{p_k}‖a_k‖/√c)·asinh(2√c⟨m_ik, a_k⟩ / ((1 − c‖m_ik‖²)‖a_k‖)),
 * m_ik = (−p_k) ⊕ xᵢ; ℓᵢ = −log softmax(zᵢ)_{yᵢ} (max-shifted).
 *
 * Reading: The loss of Hyp-OC given its parts: the caller concatenates the bona fide features (label 1) with
 * the pseudo-negatives it draws from N(μ_run, σ²I) (μ_run an EMA of batch means: the sampler's ema_a and σ are
 * the caller's), and passes C = 2 classes; MLR parameters as hyptorch's HypMLR (offsets mapped by exp₀,
 * normals scaled by 1 − c‖p‖²); norms below 1e-15 are clamped and points kept at norm ≤ (1 − 1e-5)/√c.
 *
 * @param input Euclidean features v [N, D]
 * @param target class indices [N] (int32)
 * @param offsets Euclidean (tangent at 0) class offsets [C, D]
 * @param normals class normal vectors [C, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Narayan & Patel, "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing", FG 2024
 */
export function hyperbolicCrossEntropy(...args: Call<[input: Tensor, target: Tensor, offsets: Tensor, normals: Tensor], HyperbolicCrossEntropyOptions>): Tensor {
  const [input, target, offsets, normals, { c, clipRadius, reduction }] = entry.check(args);
  const norm = input.norm(2, -1, true).clamp(1e-15);
  const clipped = Number.isFinite(clipRadius) ? input.mul(norm.reciprocal().mul(clipRadius).minimum(1)) : input;
  const x = project(expmap0(clipped, c), c);
  const p = project(expmap0(offsets, c), c);
  const a = normals.mul(p.square().sum(-1, true).mul(-c).add(1));
  const logits = hyperbolicMlrLogits(x, p, a, c);
  return applyReduction(crossEntropy(logits, target, { reduction: 'none' }), { reduction });
}

export const entry = defineLoss({
  id: 'hyperbolic-cross-entropy',
  fn: hyperbolicCrossEntropy,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'offsets', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'normals', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading:
    'The loss of Hyp-OC given its parts: the caller concatenates the bona fide features (label 1) with the ' +
    'pseudo-negatives it draws from N(μ_run, σ²I) (μ_run an EMA of batch means: the sampler\'s ema_a and σ are the ' +
    "caller's), and passes C = 2 classes; MLR parameters as hyptorch's HypMLR (offsets mapped by exp₀, normals scaled by " +
    '1 − c‖p‖²); norms below 1e-15 are clamped and points kept at norm ≤ (1 − 1e-5)/√c.',
});
