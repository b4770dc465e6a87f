import { ArgumentError, stack, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { nceValues } from '../parts/robust-symmetric.js';

const options = {
  reduction: opt.reduction(),
};
export type NormalizedCeOptions = OptionsOf<typeof options>;

/**
 * Normalized cross-entropy (NCE): cross-entropy divided by its sum over every possible label.
 *
 * ℓᵢ = −log p_y / Σ_j (−log p_j) = log p_y / Σ_j log p_j ∈ [0, 1], with log p from a max-shifted logSoftmax
 * (finite at logits of ±1e4; C ≥ 2, else 0/0). Any loss normalises the same way: `normalizeLoss` below.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ma et al., "Normalized Loss Functions for Deep Learning with Noisy Labels", ICML 2020
 */
export function normalizedCrossEntropy(...args: Call<[input: Tensor, target: Tensor], NormalizedCeOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(nceValues(input, target), { reduction });
}

/**
 * The generic normalisation L_norm(z, y) = L(z, y) / Σ_j L(z, j): evaluates `base` (per-sample values [N],
 * e.g. a registry loss called with reduction 'none') once per class label j and divides.
 *
 * @param base per-sample loss (logits [N, C], class indices [N]) → [N]
 * @returns [N]
 */
export function normalizeLoss(base: (logits: Tensor, target: Tensor) => Tensor, logits: Tensor, target: Tensor): Tensor {
  const [n, c] = logits.shape;
  if (target.shape.length !== 1 || target.shape[0] !== n) throw new ArgumentError('normalizeLoss', `target: expected shape [${n}], got [${target.shape.join(', ')}]`);
  const all = stack(Array.from({ length: c }, (_, j) => base(logits, target.mul(0).add(j))), -1); // [N, C]
  return base(logits, target).div(all.sum(-1));
}

export const entry = defineLoss({
  id: 'normalized-ce',
  fn: normalizedCrossEntropy,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'Σ_j −log p_j is 0 for a single class (0/0)',
});
