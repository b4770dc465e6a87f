import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import * as stats from '../parts/class-stats.js';
import { applyReduction } from '../reduce.js';

/** Class counts [C] from class indices [N] or multi-hot targets [N, C] (pass them as `classCounts`). */
export const classCountsFromLabels = stats.classCountsFromLabels;
/** Class priors π = n / Σ n [C] from labels (pass them as `classPriors`). */
export const classPriorsFromLabels = stats.classPriorsFromLabels;
/** Class-balanced weights (1 − β)/(1 − β^{n_k}) renormalised to sum C. */
export const effectiveNumberWeights = stats.effectiveNumberWeights;

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); absent: uniform counts (all weights 1).'),
  beta: opt.number(0.9999, 'β of the effective number E_n = (1 − β^n)/(1 − β); 0: no weighting, → 1: inverse frequency.', '[0, 1)'),
  baseLoss: opt.oneOf(['softmax-ce', 'sigmoid-bce', 'focal'], 'softmax-ce', 'The loss re-weighted: softmax cross-entropy, or one-vs-rest sigmoid BCE / sigmoid focal summed over classes.'),
  focalGamma: opt.number(0.5, "γ of the 'focal' base loss.", '[0, inf)'),
  reduction: opt.reduction(),
};
export type ClassBalancedLossOptions = OptionsOf<typeof options>;

/**
 * Class-balanced loss: a base loss re-weighted by the inverse effective number of samples of the class.
 *
 * E_k = (1 − β^{n_k})/(1 − β), w_k = 1/E_k = (1 − β)/(1 − β^{n_k}) renormalised to Σ_k w_k = C
 * (1 − β^n = −expm1(n·log β), exact for β near 1); ℓᵢ = w_{yᵢ}·base(zᵢ, yᵢ). Bases: softmax CE
 * (max-shifted log-softmax); sigmoid BCE Σ_c softplus(−s·z_c) with s = ±1 for the one-hot target;
 * sigmoid focal Σ_c (1 − p_t)^γ·BCE with (1 − p_t)^γ = exp(γ·log σ(−s·z)). Multi-hot targets [N, C]
 * weigh each class term by its own w_c. 'mean' is (1/N)Σᵢ ℓᵢ, as the authors' code.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32), or multi-hot targets [N, C] for the sigmoid bases
 * @returns a scalar, or [N] with reduction 'none'
 * @see Cui et al., "Class-Balanced Loss Based on Effective Number of Samples", CVPR 2019
 */
export function classBalancedLoss(...args: Call<[input: Tensor, target: Tensor], ClassBalancedLossOptions>): Tensor {
  const [input, target, { classCounts, beta, baseLoss, focalGamma, reduction }] = entry.check(args);
  const c = input.shape[1];
  const w = stats.effectiveNumberWeights(stats.countsOrUniform('classBalancedLoss', classCounts, input, c), beta);
  const indexTargets = target.dtype === 'int32';
  if (baseLoss === 'softmax-ce') {
    const y = indexTargets ? target.oneHot(c).cast(input.dtype) : target.cast(input.dtype);
    const terms = input.logSoftmax(-1).mul(y).neg();
    return applyReduction(indexTargets ? terms.sum(-1).mul(w.indexSelect(0, target)) : terms.mul(w).sum(-1), { reduction });
  }
  const y = indexTargets ? target.oneHot(c).cast(input.dtype) : target.cast(input.dtype);
  const signed = y.mul(2).sub(1).mul(input); // s·z
  let terms = signed.neg().softplus(); // −log σ(s·z)
  if (baseLoss === 'focal') terms = terms.mul(signed.neg().logSigmoid().mul(focalGamma).exp());
  const values = indexTargets ? terms.sum(-1).mul(w.indexSelect(0, target)) : terms.mul(w).sum(-1);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'class-balanced-loss',
  fn: classBalancedLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', or: { shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' } },
  ],
  options,
  output: 'per-sample',
});
