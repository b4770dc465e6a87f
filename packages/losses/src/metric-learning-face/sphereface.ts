import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { safeSqrt } from '../parts/distances.js';
import { cosineLogits, marginSoftmaxArgs, softmaxCrossEntropy, sphereFacePsi, targetOf, withTarget } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  m: opt.integer(4, 'm: the integer multiplicative angular margin.', '[1, 10]'),
  lambda: opt.number(5, "λ: the annealing weight of the step; the paper decays it from 1000 to λ_min = 5 (sphereFaceLambda), where training ends, so 5 is the default.", '[0, inf)'),
  reduction: opt.reduction(),
};
export type SphereFaceOptions = OptionsOf<typeof options>;

/** The annealing schedule of the SphereFace code: λ = max(λ_min, base·(1 + γ·iter)^(−power)) (base 1000, γ 0.12, power 1, λ_min 5). */
export function sphereFaceLambda(iter: number, { base = 1000, gamma = 0.12, power = 1, lambdaMin = 5 } = {}): number {
  return Math.max(lambdaMin, base * (1 + gamma * iter) ** -power);
}

/**
 * SphereFace (A-Softmax): softmax cross-entropy with a multiplicative angular margin, unnormalised features.
 *
 * With W_j normalised and x not: logits ‖x‖·cos θ_j for j ≠ y and, for the target, f_y = (λ‖x‖cos θ_y +
 * ‖x‖ψ(θ_y))/(1 + λ), ψ(θ) = (−1)^k cos(mθ) − 2k on [kπ/m, (k+1)π/m]; ℓ = lse − f_y (max-shifted).
 * cos(mθ) is the Chebyshev polynomial T_m(cos θ) and k comes from thresholds on cos θ, so no acos is taken.
 * ‖x‖ has a zero gradient at x = 0 (finite). λ is training state: pass sphereFaceLambda(iteration).
 *
 * @param embeddings features x [N, D] (not normalised: the norm scales the logits)
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D] (normalised inside)
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Liu et al., "SphereFace: Deep Hypersphere Embedding for Face Recognition", CVPR 2017, arXiv:1704.08063
 */
export function sphereFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], SphereFaceOptions>): Tensor {
  const [embeddings, labels, weight, { m, lambda, reduction }] = entry.check(args);
  const norm = safeSqrt(embeddings.square().sum(1)).unsqueeze(1);
  const cos = cosineLogits(embeddings, weight);
  const c = targetOf(cos, labels);
  const target = c.mul(lambda).add(sphereFacePsi(c, m)).div(1 + lambda);
  return applyReduction(softmaxCrossEntropy(withTarget(cos, labels, target).mul(norm), labels), { reduction });
}

export const entry = defineLoss({
  id: 'sphereface',
  fn: sphereFaceLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
});
