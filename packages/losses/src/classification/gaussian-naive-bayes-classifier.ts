import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type GaussianNaiveBayesOptions = OptionsOf<typeof options>;

/**
 * Gaussian naive Bayes: the negative joint log-likelihood of features and labels.
 *
 * ℓᵢ = −log π_{yᵢ} + Σ_d [ (x_id − μ_{yᵢ d})²/(2σ²) + ½·log(2πσ²) ], with a diagonal variance σ² shared by
 * all classes ([D], a linear classifier: the setting of the paper's comparison with logistic regression)
 * or per class ([C, D]). The class posterior is softmax over c of the same joint log-likelihood; its
 * minimiser is the closed-form MLE of `fitGaussianNaiveBayes`, which is how the paper fits it (no
 * gradient training), but the loss is differentiable in every argument.
 *
 * Reading: The objective at given parameters (class means [C, D], variances [D] shared or [C, D] per class,
 * log-priors [C]); fitGaussianNaiveBayes returns the MLE as the authors' code computes it: per-class
 * population variances plus varSmoothing (1e-9, absolute), pooled as Σ_c π_c σ²_c when shared (the default).
 *
 * @param input frozen features x [N, D]
 * @param target class indices [N] (int32)
 * @param means class means μ [C, D]
 * @param variances σ² [D] (shared) or [C, D] (per class), positive
 * @param logPrior log π [C]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zheng et al., "Revisiting Discriminative vs. Generative Classifiers: Theory and Implications",
 *   ICML 2023
 */
export function gaussianNaiveBayes(...args: Call<[input: Tensor, target: Tensor, means: Tensor, variances: Tensor, logPrior: Tensor], GaussianNaiveBayesOptions>): Tensor {
  const [input, target, means, variances, logPrior, { reduction }] = entry.check(args);
  const mu = means.indexSelect(0, target);
  const v = variances.ndim === 1 ? variances : variances.indexSelect(0, target);
  const perDim = input.sub(mu).square().div(v).add(v.mul(2 * Math.PI).log()).mul(0.5);
  return applyReduction(perDim.sum(-1).sub(logPrior.indexSelect(0, target)), { reduction });
}

export interface GaussianNaiveBayesFit {
  /** μ [C, D] */
  means: Tensor;
  /** σ² [D] (shared) or [C, D] */
  variances: Tensor;
  /** log π [C] (−∞ for a class absent from the data) */
  logPrior: Tensor;
}

/**
 * The closed-form maximum-likelihood parameters of Gaussian naive Bayes on (features, labels): class
 * frequencies, class means, per-class population variances + varSmoothing, pooled with the class
 * frequencies as weights when `sharedVariance` (as the authors' code does).
 */
export function fitGaussianNaiveBayes(
  input: Tensor,
  target: Tensor,
  { numClasses, varSmoothing = 1e-9, sharedVariance = true }: { numClasses?: number; varSmoothing?: number; sharedVariance?: boolean } = {},
): GaussianNaiveBayesFit {
  const onehot = target.oneHot(numClasses).cast(input.dtype); // [N, C]
  const counts = onehot.sum(0);
  const perClass = (t: Tensor) => onehot.T.matmul(t).div(counts.clamp(1).unsqueeze(-1)); // class means of rows of t
  const means = perClass(input);
  const classVar = perClass(input.sub(means.indexSelect(0, target)).square()).add(varSmoothing);
  const prior = counts.div(input.shape[0]);
  const variances = sharedVariance ? classVar.mul(prior.unsqueeze(-1)).sum(0) : classVar;
  return { means, variances, logPrior: prior.log() };
}

export const entry = defineLoss({
  id: 'gaussian-naive-bayes-classifier',
  fn: gaussianNaiveBayes,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'means', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'variances', shape: ['D'], dtype: 'float', domain: 'positive', or: { shape: ['C', 'D'], dtype: 'float', domain: 'positive' } },
    { name: 'logPrior', shape: ['C'], dtype: 'float', domain: 'log-prob' },
  ],
  options,
  output: 'per-sample',
  reading:
    'The objective at given parameters (class means [C, D], variances [D] shared or [C, D] per class, log-priors [C]); ' +
    "fitGaussianNaiveBayes returns the MLE as the authors' code computes it: per-class population variances plus " +
    'varSmoothing (1e-9, absolute), pooled as Σ_c π_c σ²_c when shared (the default).',
});
