import { cat, rot90, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { rowCrossEntropy } from '../parts/contrastive-infonce.js';

const options = {
  reduction: opt.reduction(),
};
export type RotationPredictionOptions = OptionsOf<typeof options>;

/**
 * The pretext batch of rotation prediction: images [B, C, H, W] rotated by 0°, 90°, 180° and 270° (stacked by
 * rotation, [4B, C, H, W]) and their rotation labels [4B] (int32, r = 0..3). `nRotations` (the catalog's 4) can be 2.
 */
export function rotationBatch(images: Tensor, nRotations = 4): { images: Tensor; labels: Tensor } {
  const b = images.shape[0];
  const rotated = Array.from({ length: nRotations }, (_, r) => rot90(images, (r * 4) / nRotations, [-2, -1]));
  const labels = Array.from({ length: nRotations * b }, (_, i) => Math.floor(i / b));
  return { images: cat(rotated, 0), labels: tensor(labels, { dtype: 'int32', backend: images.backendName }) };
}

/**
 * Rotation prediction (RotNet): classify which of the R rotations was applied to each image.
 *
 * ℓ = CE(f(rot(x, r)), r) = logsumexp_k z_k − z_r, averaged over images and rotations. Stable form: max-shifted
 * logSoftmax. `rotationBatch` builds the rotated batch and its labels; R = 4 is the logits' width.
 *
 * @param input rotation logits [N, R] (N = R·B rotated images)
 * @param target rotation indices [N] (int32, 0..R−1)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Gidaris et al., "Unsupervised Representation Learning by Predicting Image Rotations", ICLR 2018; Yang & Xu,
 *   "Rethinking the Value of Labels for Improving Class-Imbalanced Learning", NeurIPS 2020
 */
export function rotationPredictionLoss(...args: Call<[input: Tensor, target: Tensor], RotationPredictionOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(rowCrossEntropy(input, target), { reduction });
}

export const entry = defineLoss({
  id: 'rotation-prediction',
  fn: rotationPredictionLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
