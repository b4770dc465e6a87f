import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { lovaszExtension } from '../parts/overlap-lovasz.js';
import { classMean, perSampleOrBatch } from '../parts/overlap-stats.js';

const options = {
  classes: opt.oneOf(['present', 'all'] as const, 'present', "Classes averaged: 'present' (some pixel labelled c; none present gives 0), or 'all'."),
  perImage: opt.boolean(false, 'Compute the loss per image, then average (default: once over the batch\'s pixels).'),
  ignoreIndex: opt.integer(-100, 'Pixels with this label are removed (the catalog leaves it unset: −100, PyTorch\'s value, which no class index takes).'),
  reduction: opt.reduction(),
};
export type LovaszSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Lovász-softmax loss: the convex Lovász extension of the Jaccard loss, per class.
 *
 * Per class c over the (valid) pixels: errors e_i = |1[y_i = c] − p_{i,c}|, sorted descending (permutation π held
 * constant); g = fg[π], G = Σg, J_k = 1 − (G − cumsum(g)_k)/(G + cumsum(1 − g)_k), δ = (J_0, J_1 − J_0, …);
 * loss_c = ⟨e[π], δ⟩; ℓ = mean over the present (or all) classes. On hard predictions (p one-hot) it equals
 * 1 − IoU averaged over the classes. The gradient is the extension's exact gradient (δ on the sorted errors).
 *
 * @param input probabilities [N, C, ...spatial] (softmax over C)
 * @param target class indices [N, ...spatial] (int32), ignoreIndex allowed
 * @returns a scalar; [N] with reduction 'none' and perImage (a scalar otherwise)
 * @see Berman, Rannen Triki & Blaschko, "The Lovász-Softmax loss", CVPR 2018
 */
export function lovaszSoftmaxLoss(...args: Call<[input: Tensor, target: Tensor], LovaszSoftmaxOptions>): Tensor {
  const [input, target, { classes, perImage, ignoreIndex, reduction }] = entry.check(args);
  const [n, c] = input.shape;
  // Rows [B', C, P]: one per image, or the whole batch as one image.
  const probs = perImage ? input.reshape([n, c, -1]) : input.movedim(1, 0).reshape([1, c, -1]);
  const labels = target.reshape([perImage ? n : 1, 1, -1]);
  const fg = labels.eq(arange(0, c, 1, { dtype: 'int32', backend: input.backendName }).reshape([1, c, 1])).cast(input.dtype);
  const valid = labels.ne(ignoreIndex).expand(fg.shape);
  const perClass = lovaszExtension(fg.sub(probs).abs(), fg, valid);
  return applyReduction(perSampleOrBatch(classMean(perClass, fg.mul(valid.cast(fg.dtype)).sum(-1), classes), !perImage), { reduction });
}

export const entry = defineLoss({
  id: 'lovasz-softmax',
  fn: lovaszSoftmaxLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
