import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { signTargets } from '../parts/sign-targets.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, 'The margin: elements with t·f ≥ margin cost nothing.', '(-inf, inf)'),
  cSvm: opt.number(0.5, 'C of the L2-SVM objective ½‖w‖² + C·reduce(ℓ): used only when the output-layer weight is given.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SquaredHingeOptions = OptionsOf<typeof options>;

/**
 * Squared hinge loss (the L2-SVM output layer): ℓ = max(0, margin − t·f)² per element.
 *
 * Class indices against scores [N, C] become one-vs-rest signs t_ik = 2·1[k = yᵢ] − 1. Given the output
 * layer's weight w, the result is the L2-SVM objective ½‖w‖² + C·reduce(ℓ) (mean over all elements, as
 * the CNN-SVM/GRU-SVM code averages); without it, reduce(ℓ) alone (leave ‖w‖² to weight decay).
 *
 * @param input scores f = h·w + b [N, ...]
 * @param target signs in {−1, +1} shaped like input, or class indices [N] (int32) for scores [N, C]
 * @param weight optional output-layer weight w (any shape), for the ½‖w‖² term
 * @returns a scalar, or the elementwise ℓ with reduction 'none' (not allowed together with `weight`:
 *   the regulariser belongs to the batch, not to an element)
 * @see Agarap, "An Architecture Combining Convolutional Neural Network (CNN) and Support Vector Machine
 *   (SVM) for Image Classification", 2017; Agarap, "A Neural Network Architecture Combining Gated
 *   Recurrent Unit (GRU) and Support Vector Machine (SVM) for Intrusion Detection in Network Traffic
 *   Data", ICMLC 2018; Terven et al., "Loss Functions and Metrics in Deep Learning", 2023
 */
export function squaredHingeLoss(...args: Call<[input: Tensor, target: Tensor, weight?: Tensor | SquaredHingeOptions | null], SquaredHingeOptions>): Tensor {
  // squaredHingeLoss(f, t, opts) reads the options in the weight's place: check returns weight undefined.
  const [input, target, w, { margin, cSvm, reduction }] = entry.check(args);
  const weight = w as Tensor | null | undefined;
  const t = signTargets('squaredHingeLoss', input, target);
  const values = t.mul(input).neg().add(margin).relu().square();
  if (!weight) return applyReduction(values, { reduction });
  if (reduction === 'none') throw new ArgumentError('squaredHingeLoss', "the L2-SVM objective with an output-layer weight is a batch objective: use reduction 'mean' or 'sum'");
  return weight.square().sum().mul(0.5).add(applyReduction(values, { reduction }).mul(cSvm));
}

export const entry = defineLoss({
  id: 'squared-hinge',
  fn: squaredHingeLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'sign', or: { shape: ['N'], dtype: 'int', domain: 'label' } },
    { name: 'weight', shape: ['...'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'elementwise',
});
