import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  bagSize: opt.numberOrTensor(1, ['N'], 'k: the size of each instance\'s bag (a number, or one per instance [N]); 1 makes ỹ = α.', '[1, inf)'),
  prior: opt.numberOrTensor(null, ['...'], 'p: the global class prior (a number for binary, [C] for multiclass); null: the mean of the bag proportions over the batch.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type EasyLlpOptions = OptionsOf<typeof options>;

/**
 * EasyLLP: the debiased instance loss for learning from label proportions.
 *
 * Each instance gets the soft target ỹ = k(α − p) + p from its bag's label proportion α, the bag size k and
 * the global prior p (ỹ may leave [0, 1]; it is not clamped: that keeps the estimate unbiased, and the loss
 * can be negative). Binary: ℓᵢ = ỹ·ℓ(z, 1) + (1 − ỹ)·ℓ(z, 0) with ℓ the logistic loss, softplus(∓z) in its
 * stable form. Multiclass: ℓᵢ = Σ_c ỹ_c·(−log softmax(z)_c), a max-shifted logSoftmax. Finite at ±1e4.
 *
 * @param input logits [N] (binary) or [N, C]
 * @param bagProportion the bag's label proportion α per instance, shaped like input, in [0, 1]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Busa-Fekete et al., "Easy Learning from Label Proportions", NeurIPS 2023
 */
export function easyLlpLoss(...args: Call<[input: Tensor, bagProportion: Tensor], EasyLlpOptions>): Tensor {
  const [input, alpha, { bagSize, prior, reduction }] = entry.check(args);
  if (input.ndim > 2 || alpha.shape.join() !== input.shape.join()) throw new ShapeError('easyLlpLoss', `bagProportion: expected the shape of input [${input.shape.join(', ')}] (logits [N] or [N, C]), got [${alpha.shape.join(', ')}]`);
  const p = prior ?? alpha.mean(0);
  if (typeof p !== 'number' && input.ndim === 2 && p.shape.join() !== String(input.shape[1])) throw new ShapeError('easyLlpLoss', `option 'prior': expected shape [${input.shape[1]}], got [${p.shape.join(', ')}]`);
  const k = typeof bagSize === 'number' ? bagSize : input.ndim === 2 ? bagSize.unsqueeze(-1) : bagSize;
  const soft = alpha.sub(p).mul(k).add(p); // ỹ = k(α − p) + p
  const values = input.ndim === 1
    ? soft.mul(input.neg().softplus()).add(soft.neg().add(1).mul(input.softplus()))
    : soft.mul(input.logSoftmax(-1)).sum(-1).neg();
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'easyllp',
  fn: easyLlpLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'bagProportion', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
});
