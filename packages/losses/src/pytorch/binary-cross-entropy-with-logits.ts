import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['...'], 'Weights broadcastable to input, multiplying each element\'s loss (\'mean\' still divides by the element count, as PyTorch).'),
  posWeight: opt.numberOrTensor(null, ['...'], 'p_c: weight of the positive term, broadcast along the last (class) dim, e.g. [C]; null means 1.'),
  reduction: opt.reduction(),
};
export type BinaryCrossEntropyWithLogitsOptions = OptionsOf<typeof options>;

/**
 * Sigmoid binary cross-entropy on logits, PyTorch's `F.binary_cross_entropy_with_logits`.
 *
 * ℓ = w·[p·y·softplus(−x) + (1 − y)·softplus(x)] = −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))],
 * with softplus in its stable form max(z, 0) + log1p(e^{−|z|}), so logits of ±1e4 stay finite;
 * σ(x) is never formed and logged. Soft targets y ∈ [0, 1] are allowed. Labels in {−1, +1} are
 * softMarginLoss (the same loss with y = (t + 1)/2).
 *
 * @param input logits x [N, ...]
 * @param target targets y [N, ...] in [0, 1], the shape of input
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see Cox, "The regression analysis of binary sequences", JRSS B 1958 (logistic regression)
 */
export function binaryCrossEntropyWithLogits(...args: Call<[input: Tensor, target: Tensor], BinaryCrossEntropyWithLogitsOptions>): Tensor {
  const [input, target, { weight, posWeight, reduction }] = entry.check(args);
  if (input.shape.join() !== target.shape.join()) {
    throw new ShapeError('binaryCrossEntropyWithLogits', `target shape [${target.shape.join(', ')}] must equal input shape [${input.shape.join(', ')}]`);
  }
  const positive = posWeight === null || posWeight === 1 ? target : target.mul(posWeight);
  const values = positive.mul(input.neg().softplus()).add(target.neg().add(1).mul(input.softplus()));
  return applyReduction(weight ? values.mul(weight) : values, { reduction });
}

export const entry = defineLoss({
  id: 'binary-cross-entropy-with-logits',
  // The catalog's sigmoid BCE is this loss.
  aliases: ['bce-with-logits'],
  fn: binaryCrossEntropyWithLogits,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Binary cross-entropy with logits', category: 'pytorch', papers: [] },
});
