import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { rowCrossEntropy } from '../parts/contrastive-infonce.js';
import { ntXentLoss } from './nt-xent.js';

const options = {
  tau: opt.number(0.5, 'τ: the NT-Xent temperature (SimCLR\'s 0.5).', '(0, inf)'),
  lambda: opt.number(1, 'λ: the weight of the pretext cross-entropies (not in the catalog: 1 weighs them like the contrastive term).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type ScatsimclrPretextOptions = OptionsOf<typeof options>;

/**
 * ScatSimCLR's pretext-regularised contrastive loss: NT-Xent plus the rotation and jigsaw pretext cross-entropies.
 *
 * ℓ_b = ℓ^NT-Xent_b(z1, z2; τ) + λ·[CE(rot_b, r_b) + CE(jig_b, π_b)], r ∈ {0°, 90°, 180°, 270°}, π the index of the
 * permutation in the jigsaw set (its size P is the jigsaw logits' width). Stable form: NT-Xent's masked logsumexp,
 * max-shifted logSoftmax for the pretext heads.
 *
 * @param z1 first-view embeddings [N, D]
 * @param z2 second-view embeddings [N, D]
 * @param rotation rotation-head logits [N, R] (R = 4)
 * @param rotationTarget rotation ids [N] (int32)
 * @param jigsaw jigsaw-head logits [N, P]
 * @param jigsawTarget permutation ids [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kinakh et al., "ScatSimCLR: self-supervised contrastive learning with pretext task regularization for
 *   small-scale datasets", ICCV Workshops 2021
 */
export function scatsimclrPretextLoss(...args: Call<[z1: Tensor, z2: Tensor, rotation: Tensor, rotationTarget: Tensor, jigsaw: Tensor, jigsawTarget: Tensor], ScatsimclrPretextOptions>): Tensor {
  const [z1, z2, rotation, rotationTarget, jigsaw, jigsawTarget, { tau, lambda, reduction }] = entry.check(args);
  const pretext = rowCrossEntropy(rotation, rotationTarget).add(rowCrossEntropy(jigsaw, jigsawTarget));
  return applyReduction(ntXentLoss(z1, z2, { tau, reduction: 'none' }).add(pretext.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'scatsimclr-pretext',
  fn: scatsimclrPretextLoss,
  args: [
    { name: 'z1', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'z2', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'rotation', shape: ['N', 'R'], dtype: 'float', domain: 'logits' },
    { name: 'rotationTarget', shape: ['N'], dtype: 'int', domain: 'label', classes: 'R' },
    { name: 'jigsaw', shape: ['N', 'P'], dtype: 'float', domain: 'logits' },
    { name: 'jigsawTarget', shape: ['N'], dtype: 'int', domain: 'label', classes: 'P' },
  ],
  options,
  output: 'per-sample',
  reading: 'NT-Xent + λ·(rotation CE + jigsaw CE) per pair (the catalog\'s composition); λ = 1 since the row gives none, and the permutation-set size is the jigsaw head\'s width.',
});
