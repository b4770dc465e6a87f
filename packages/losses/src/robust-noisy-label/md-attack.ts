import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { bestOtherLogit, targetLogit } from '../parts/robust-margin.js';

const options = {
  step: opt.integer(0, 'The current attack step (0-based).', '[0, inf)'),
  steps: opt.integer(20, 'Total attack steps (not given in the catalog: 20, a common PGD evaluation budget).', '[1, inf)'),
  stage1Fraction: opt.number(0.2, 'Fraction of the steps spent on the single margin term (the paper\'s 20/80 example).', '[0, 1]'),
  term: opt.oneOf(['target', 'other'], 'target', "Stage-1 term: 'target' maximises −z_y, 'other' maximises max_{k≠y} z_k."),
  reduction: opt.reduction(),
};
export type MdAttackOptions = OptionsOf<typeof options>;

/**
 * Margin Decomposition (MD) attack objective: one margin term alone first, then the full margin.
 *
 * For step < ⌊stage1Fraction·steps⌋: ℓᵢ = −z_y (term 'target') or max_{k≠y} z_k (term 'other'); afterwards
 * the CW margin ℓᵢ = max_{k≠y} z_k − z_y. The attacker maximises it by PGD over the input (the ensemble runs
 * both term orders; the multi-targeted version replaces the max by each class k). No softmax: exact at ±1e4.
 *
 * @param input logits of the perturbed input [N, C] (C ≥ 2)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ma et al., "Imbalanced Gradients: A Subtle Cause of Overestimated Adversarial Robustness", Machine Learning 2023
 */
export function mdAttackLoss(...args: Call<[input: Tensor, target: Tensor], MdAttackOptions>): Tensor {
  const [input, target, { step, steps, stage1Fraction, term, reduction }] = entry.check(args);
  const zy = targetLogit(input, target);
  if (step < Math.floor(stage1Fraction * steps)) return applyReduction(term === 'target' ? zy.neg() : bestOtherLogit(input, target), { reduction });
  return applyReduction(bestOtherLogit(input, target).sub(zy), { reduction });
}

export const entry = defineLoss({
  id: 'md-attack',
  fn: mdAttackLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'max over the other classes is empty for a single class',
  reading: 'Stage 1 is the first ⌊stage1Fraction·steps⌋ steps on one term (−z_y or max_{k≠y} z_k), stage 2 the unclamped CW margin; the step split (20/80) is the paper\'s example, the PGD loop is the caller\'s.',
});
