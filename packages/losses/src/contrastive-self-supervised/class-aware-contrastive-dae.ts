import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { supervisedContrast } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  alpha: opt.number(0.5, 'α: the weight of the reconstruction term, 1 − α of the contrastive one (the abstract gives none: 0.5 weighs them equally).', '[0, 1]'),
  tau: opt.number(0.1, 'τ: the SupCon temperature (not given: SupCon\'s 0.1).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type ClassAwareContrastiveDaeOptions = OptionsOf<typeof options>;

/**
 * Class-aware contrastive denoising autoencoder (imbalanced text): reconstruct the clean input from a corrupted
 * one while SupCon separates the classes in the encoder's embedding space.
 *
 * ℓ_b = α·‖dec(enc(x̃_b)) − x_b‖²/F + (1 − α)·ℓ^SupCon_b(e, y), the SupCon term of anchor b (0 when b has no
 * positive). The corruption x → x̃ (dropout-style noise at the noise rate) and the encoder/decoder are the
 * caller's: pass the reconstruction and the embeddings. Stable form: SupCon's masked max-shifted logsumexp.
 *
 * @param input reconstructions dec(enc(x̃)) [N, F]
 * @param target clean inputs x [N, F]
 * @param embeddings encoder embeddings e [N, D]
 * @param labels class ids [N] (int32) in [0, N)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Class-Aware Contrastive Optimization for Imbalanced Text Classification", 2024
 */
export function classAwareContrastiveDaeLoss(...args: Call<[input: Tensor, target: Tensor, embeddings: Tensor, labels: Tensor], ClassAwareContrastiveDaeOptions>): Tensor {
  const [input, target, embeddings, labels, { alpha, tau, reduction }] = entry.check(args);
  const recon = input.sub(target).square().mean(-1);
  const { values } = supervisedContrast(l2Normalize(embeddings), labels, tau);
  return applyReduction(recon.mul(alpha).add(values.mul(1 - alpha)), { reduction });
}

export const entry = defineLoss({
  id: 'class-aware-contrastive-dae',
  fn: classAwareContrastiveDaeLoss,
  args: [
    { name: 'input', shape: ['N', 'F'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'F'], dtype: 'float', domain: 'real' },
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label', classes: 'N' },
  ],
  options,
  output: 'per-sample',
  reading: 'α·MSE(reconstruction of the corrupted input, clean input) + (1 − α)·SupCon(embeddings, labels), per sample; the SupCon form (not the pairwise margin one) and α = 0.5, τ = 0.1 are choices the abstract leaves open.',
});
