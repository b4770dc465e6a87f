import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['...'], 'Weights broadcastable to input, multiplying each element\'s loss (\'mean\' still divides by the element count, as PyTorch).'),
  reduction: opt.reduction(),
};
export type BinaryCrossEntropyOptions = OptionsOf<typeof options>;

/** max(log p, −100), as PyTorch clamps it; the inner where keeps log's argument positive, so p = 0 gives −100 with a zero gradient, not a NaN. */
const clampedLog = (p: Tensor): Tensor => {
  const pos = p.gt(0);
  return pos.where(pos.where(p, 1).log(), -100).clamp(-100);
};
/** max(log(1 − p), −100) through log1p(−p) (accurate for small p), trapped at p = 1 the same way. */
const clampedLog1m = (p: Tensor): Tensor => {
  const below = p.lt(1);
  return below.where(below.where(p, 0).neg().log1p(), -100).clamp(-100);
};

/**
 * Binary cross-entropy on probabilities, PyTorch's `F.binary_cross_entropy`.
 *
 * ℓ = −w·[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)], log(1 − p) as log1p(−p). The
 * clamp at −100 (PyTorch's) keeps p = 0 and p = 1 finite; there the clamped term's gradient is 0
 * (PyTorch's hand-written backward returns (p − y)/max(p(1 − p), 1e−12) instead, which is not the
 * derivative of its clamped forward). Prefer binaryCrossEntropyWithLogits on logits.
 *
 * @param input probabilities p [N, ...] in [0, 1]
 * @param target targets y [N, ...] in [0, 1], the shape of input
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.BCELoss
 */
export function binaryCrossEntropy(...args: Call<[input: Tensor, target: Tensor], BinaryCrossEntropyOptions>): Tensor {
  const [input, target, { weight, reduction }] = entry.check(args);
  if (input.shape.join() !== target.shape.join()) {
    throw new ShapeError('binaryCrossEntropy', `target shape [${target.shape.join(', ')}] must equal input shape [${input.shape.join(', ')}]`);
  }
  const values = target.mul(clampedLog(input)).add(target.neg().add(1).mul(clampedLog1m(input))).neg();
  return applyReduction(weight ? values.mul(weight) : values, { reduction });
}

export const entry = defineLoss({
  id: 'binary-cross-entropy',
  fn: binaryCrossEntropy,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Binary cross-entropy (on probabilities)', category: 'pytorch', papers: [] },
});
