import type { DType, Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  eps: opt.number(0.1, 'ε: the smoothing mass spread uniformly over the C classes.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type LabelSmoothingCeOptions = OptionsOf<typeof options>;

/** The smoothed target distribution q = (1 − ε)·onehot(y) + ε/C [N, C], for soft-label losses that take it. */
export function labelSmoothingTargets(target: Tensor, numClasses: number, eps = 0.1, dtype: DType = 'float32'): Tensor {
  return target.oneHot(numClasses).cast(dtype).mul(1 - eps).add(eps / numClasses);
}

/**
 * Label-smoothed cross-entropy.
 *
 * ℓᵢ = −Σ_k q_k log softmax(zᵢ)_k with q = (1 − ε)·onehot(yᵢ) + ε/C, computed as (1 − ε)·CEᵢ + ε·mean_k(−log softmax(zᵢ)_k)
 * (= CEᵢ + ε·(z_y − mean_k z_k) up to the CE term's own weight: the regulariser MaxSup modifies). log softmax is a
 * max-shifted logsumexp, so logits of ±1e4 stay finite. Unlike CE, whose optimum lies at infinite logit gaps, the
 * smoothed loss is minimised at the finite gap z_y − z_k = log(((1 − ε)C + ε)/ε).
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", CVPR 2016 (used by Zhou et al.,
 *   "MaxSup: Overcoming Representation Collapse in Label Smoothing", 2025; Ridnik et al., "Asymmetric Loss For
 *   Multi-Label Classification", ICCV 2021; Wang et al., "Jaccard Metric Losses", NeurIPS 2023, and others)
 */
export function labelSmoothingCe(...args: Call<[input: Tensor, target: Tensor], LabelSmoothingCeOptions>): Tensor {
  const [input, target, { eps, reduction }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  const nll = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
  const uniform = logp.mean(-1).neg();
  return applyReduction(nll.mul(1 - eps).add(uniform.mul(eps)), { reduction });
}

export const entry = defineLoss({
  id: 'label-smoothing-ce',
  fn: labelSmoothingCe,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
