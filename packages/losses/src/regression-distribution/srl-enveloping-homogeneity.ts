import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  alpha: opt.number(1, 'α: the weight of the trace length Σ_t ‖c_{t+1} − c_t‖ (the code\'s smooth_loss default).', '[0, inf)'),
  beta: opt.number(0.1, 'β: the weight of the variance of the step lengths (the code\'s default).', '[0, inf)'),
  lambda: opt.number(1, 'λ: the weight of the homogeneity loss against the enveloping loss (the code adds them unweighted).', '[0, inf)'),
};
export type SrlEnvelopingHomogeneityOptions = OptionsOf<typeof options>;

/**
 * SRL's geometric constraints on the trace of per-bin surrogate features c_1..c_T (ordered by target): the enveloping
 * loss (the trace should reach every direction of the hypersphere) plus the homogeneity loss (short, evenly spaced steps).
 *
 * L_env = 1 − mean_u max_t cos(c_t, u) over probe directions u; L_hom = α·Σ_t ℓ_t + β·var(ℓ), ℓ_t = ‖c_{t+1} − c_t‖
 * of the raw surrogates, as in the code (unbiased variance, so T ≥ 3); L = L_env + λ·L_hom. The code draws 100 Gaussian
 * directions with a fixed seed; here the caller passes them (any non-zero vectors: they are normalised).
 * Follows yilei-wu/imbalanced-regression simulated-dataset/gaussian.py (uniformity_loss, smooth_loss).
 *
 * @param surrogates per-bin surrogate features c [T, D], ordered by target
 * @param directions probe directions u [K, D]
 * @returns a scalar
 * @see Dong et al., "Improve Representation for Imbalanced Regression through Geometric Constraints", CVPR 2025
 */
export function srlEnvelopingHomogeneity(...args: Call<[surrogates: Tensor, directions: Tensor], SrlEnvelopingHomogeneityOptions>): Tensor {
  const [surrogates, directions, { alpha, beta, lambda }] = entry.check(args);
  if (surrogates.shape[0] < 3) throw new ArgumentError('srlEnvelopingHomogeneity', `surrogates: the step-length variance needs T >= 3 bins, got shape [${surrogates.shape.join(', ')}]`);
  const unit = (x: Tensor) => x.div(x.norm(2, 1, true).clamp(1e-12));
  const c = unit(surrogates);
  const envelope = c.matmul(unit(directions).transpose(0, 1)).max(0).values.mean().neg().add(1);
  const steps = surrogates.slice(0, 1).sub(surrogates.slice(0, 0, -1)).norm(2, 1);
  const homogeneity = steps.sum().mul(alpha).add(steps.var().mul(beta));
  return envelope.add(homogeneity.mul(lambda));
}

export const entry = defineLoss({
  id: 'srl-enveloping-homogeneity',
  fn: srlEnvelopingHomogeneity,
  args: [
    { name: 'surrogates', shape: ['T', 'D'], dtype: 'float', domain: 'real' },
    { name: 'directions', shape: ['K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: "The authors' code: enveloping = 1 − mean over probe directions of the best cosine with the normalised surrogate trace, homogeneity = α·trace length + β·var(step lengths); the probe directions are an argument (the code's fixed-seed Gaussian draws) and the surrogates come from the caller's seq2seq model and momentum memory (SRL's contrastive pull of features to their surrogate is a separate term).",
});
