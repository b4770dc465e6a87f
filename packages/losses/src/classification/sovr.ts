import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetLogProbs, targetMask } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  M: opt.number(0.4, 'M: the fraction of the batch, smallest logit margins first, that uses the one-vs-the-rest loss (1: OVR alone, 0: CE alone).', '[0, 1]'),
  reduction: opt.reduction(),
};
export type SovrOptions = OptionsOf<typeof options>;

/**
 * Switching one-vs-the-rest loss (SOVR): one-vs-the-rest for the important samples, cross-entropy for the others.
 *
 * Logit margin μᵢ = z_y − max_{k≠y} z_k; the ⌊M·N⌋ samples with the smallest margins use
 * L_OVR = softplus(−z_y) + Σ_{k≠y} softplus(z_k) (a sum of binary logistic losses, i.e. BCE-with-logits
 * against the one-hot target summed over classes), the rest use CE = −log softmax(z)_y (max-shifted). The
 * selection is a ranking of the detached margins (no gradient through it).
 *
 * Reading: The important samples are the ⌊M·N⌋ smallest-margin samples of the batch (M = 0.4, rounding down),
 * ranked by the detached margin z_y − max_{k≠y} z_k; they use L_OVR = softplus(−z_y) + Σ_{k≠y} softplus(z_k),
 * the rest CE, summed unweighted and averaged over the batch (M = 1 gives L_OVR alone). The PGD attack
 * producing the logits is the caller's.
 *
 * @param input logits [N, C] (of adversarial examples, in adversarial training)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kanai et al., "One-vs-the-Rest Loss to Focus on Important Samples in Adversarial Training", ICML 2023
 */
export function sovrLoss(...args: Call<[input: Tensor, target: Tensor], SovrOptions>): Tensor {
  const [input, target, { M, reduction }] = entry.check(args);
  const n = input.shape[0];
  const isTarget = targetMask(target, input.shape[1]);
  const { zy, logp } = targetLogProbs(input, target);
  const signs = isTarget.where(input.neg(), input); // −z_y for the target, z_k for the others
  const ovr = signs.softplus().sum(-1);
  const margin = zy.sub(input.maskedFill(isTarget, -Infinity).amax(-1)).detach();
  const important = margin.argsort(0).argsort(0).lt(Math.floor(M * n));
  return applyReduction(important.where(ovr, logp.neg()), { reduction });
}

export const entry = defineLoss({
  id: 'sovr',
  fn: sovrLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading:
    "The important samples are the ⌊M·N⌋ smallest-margin samples of the batch (M = 0.4, rounding down), ranked by the " +
    'detached margin z_y − max_{k≠y} z_k; they use L_OVR = softplus(−z_y) + Σ_{k≠y} softplus(z_k), the rest CE, summed ' +
    "unweighted and averaged over the batch (M = 1 gives L_OVR alone). The PGD attack producing the logits is the caller's.",
});
