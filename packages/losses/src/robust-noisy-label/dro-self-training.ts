import { grad, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { hardCe, pseudoLabels } from '../parts/pseudo-label-ce.js';

const options = {
  lambda: opt.number(0.001, 'λ: weight of the robust self-training term (the authors\' code: lamb = 0.001).', '[0, inf)'),
  gamma: opt.number(0.001, 'γ: price of transport for the labelled inputs, c(Z, X) = ‖Z − X‖² (the authors\' gamma_l = 0.001).', '[0, inf)'),
  gammaUnlabeled: opt.number(0.001, 'γ′: price of transport for the unlabeled inputs (the authors\' gamma_ul = 0.001).', '[0, inf)'),
};
export type DroSelfTrainingOptions = OptionsOf<typeof options>;

/**
 * Robust self-supervised (RSS) training: Wasserstein-DRO losses on labelled data and on pseudo-labelled out-of-domain data.
 *
 * φ_γ(X, y; θ) = sup_Z ℓ(Z, y; θ) − γ·‖Z − X‖² (the Lagrangian of the Wasserstein ball), and
 * L = (1/N)·Σᵢ [CE(f(Zᵢ), yᵢ) − γ‖Zᵢ − Xᵢ‖²] + λ·(1/M)·Σⱼ [CE(f(Z′ⱼ), ŷⱼ) − γ′‖Z′ⱼ − X′ⱼ‖²], ŷⱼ = argmax f(X′ⱼ)
 * (held constant). Z, Z′ are the inner maximisers (the caller's, e.g. `rssInnerMaximize`), passed through the model
 * (logits) and through their displacements Z − X. By Danskin's theorem the gradient in θ at the maximiser is that of
 * this value with Z fixed. Follows deepmancer/rss-training-iclr2024 (TrainingFlow.py), with the paper's hard
 * pseudo-label h_θ(X′) where the code passes raw logits as a soft target.
 *
 * @param input logits at the labelled maximisers f(Z) [N, C]
 * @param target labels [N] (int32)
 * @param shift displacements Z − X [N, D]
 * @param unlabeledLogits logits at the unlabeled maximisers f(Z′) [M, C]
 * @param unlabeledCleanLogits logits at the clean unlabeled inputs f(X′) [M, C] (pseudo-labels; held constant)
 * @param unlabeledShift displacements Z′ − X′ [M, D]
 * @returns a scalar
 * @see Saberi et al., "Out-Of-Domain Unlabeled Data Improves Generalization", ICLR 2024
 */
export function droSelfTrainingLoss(...args: Call<[input: Tensor, target: Tensor, shift: Tensor, unlabeledLogits: Tensor, unlabeledCleanLogits: Tensor, unlabeledShift: Tensor], DroSelfTrainingOptions>): Tensor {
  const [input, target, shift, zu, clean, shiftU, { lambda, gamma, gammaUnlabeled }] = entry.check(args);
  const labelled = hardCe(input, target).sub(shift.square().sum(-1).mul(gamma)).mean();
  const unlabeled = hardCe(zu, pseudoLabels(clean)).sub(shiftU.square().sum(-1).mul(gammaUnlabeled)).mean();
  return labelled.add(unlabeled.mul(lambda));
}

/**
 * The authors' inner solver: Z ← Z + (α/(t+1))·∇_Z [Σ loss(Z) − γ‖Z − X‖²] for t = 0 … steps − 1 from Z = X, with
 * `loss` the summed loss of the model at Z (a callback). Returns Z, detached.
 */
export function rssInnerMaximize(loss: (z: Tensor) => Tensor, x: Tensor, { steps = 10, alpha = 0.001, gamma = 0.001 } = {}): Tensor {
  const x0 = x.detach();
  let z = x0;
  for (let t = 0; t < steps; t++) {
    const leaf = z.detach().requiresGrad_();
    const phi = loss(leaf).sub(leaf.sub(x0).square().sum().mul(gamma));
    const [g] = grad(phi, [leaf]);
    z = leaf.detach().add(g!.mul(alpha / (t + 1)));
  }
  return z.detach();
}

export const entry = defineLoss({
  id: 'dro-self-training',
  fn: droSelfTrainingLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'shift', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'unlabeledLogits', shape: ['M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'unlabeledCleanLogits', shape: ['M', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'unlabeledShift', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'The RSS estimator of the authors\' code: Wasserstein-penalty DRO (cost ‖Z − X‖², prices γ, γ′) on labelled data plus λ times the same on out-of-domain data with hard pseudo-labels argmax f(X′); the inner sup is solved by the caller (rssInnerMaximize is the authors\' ascent) and enters as the logits at the maximisers and their displacements.',
});
