import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logPriors } from '../parts/class-stats.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { hardCe } from '../parts/pseudo-label-ce.js';

const options = {
  alpha: opt.number(0.1, 'α: weight of the weighted distillation term on unlabeled data (0.1 in the authors\' README).', '[0, inf)'),
  tau: opt.number(0.5, 'τ: temperature of p(c | x) = softmax_c(cos(z_x, μ_c)/τ) (the SimCLR temperature of the CSI teacher the authors build on).', '(0, inf)'),
  classPriors: opt.tensor(['C'], 'p(c) [C] (> 0, renormalised); absent: uniform.'),
};
export type WadOptions = OptionsOf<typeof options>;

/**
 * WAD: labelled CE plus unlabeled CE toward PMI pseudo-labels, each weighted by its normalised pointwise mutual information.
 *
 * In the teacher's representation space, p(c | x) = softmax_c(cos(z_x, μ_c)/τ) with class centres μ [C, D] of the
 * labelled features, and PMI(x, c) = log p(x, c)/(p(x)p(c)) = log p(c | x) − log p(c). Held constant:
 * ỹ = argmax_c PMI(x, c) and w = clamp(PMI(x, ỹ)/(−log p(ỹ)), 0, 1) — PMI is at most −log p(c), so w is 1 for a sample
 * that is certainly of class ỹ and 0 for one that is no likelier under any known class than a priori (an
 * unknown-class sample). L = (1/N)·Σᵢ CE(zᵢ, yᵢ) + α·(1/M)·Σ_u w_u·CE(z_u, ỹ_u), CE max-shifted.
 *
 * @param input logits on labelled data [N, C]
 * @param target labels [N] (int32)
 * @param unlabeledLogits the student's logits on unlabeled data [M, C]
 * @param unlabeledFeatures the teacher's contrastive representations z of the unlabeled data [M, D] (held constant)
 * @param prototypes class centres μ of the teacher's labelled representations [C, D] (held constant)
 * @returns a scalar
 * @see Du et al., "Semi-Supervised Learning via Weight-aware Distillation under Class Distribution Mismatch", ICCV 2023
 */
export function wadLoss(...args: Call<[input: Tensor, target: Tensor, unlabeledLogits: Tensor, unlabeledFeatures: Tensor, prototypes: Tensor], WadOptions>): Tensor {
  const [input, target, zu, feats, protos, { alpha, tau, classPriors }] = entry.check(args);
  const logPrior = logPriors('wadLoss', null, classPriors, input, input.shape[1]);
  const pmi = cosineSimilarityMatrix(feats.detach(), protos.detach()).div(tau).logSoftmax(-1).sub(logPrior);
  const { values: best, indices: pseudo } = pmi.max(-1);
  const w = best.div(logPrior.neg().gather(0, pseudo).clamp(1e-12)).clamp(0, 1);
  return hardCe(input, target).mean().add(hardCe(zu, pseudo).mul(w).mean().mul(alpha));
}

export const entry = defineLoss({
  id: 'wad',
  fn: wadLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'unlabeledLogits', shape: ['M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'unlabeledFeatures', shape: ['M', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'prototypes', shape: ['C', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'The weighted-CE skeleton with our PMI estimator: p(c | x) from cosine similarities of the teacher\'s representations to labelled class centres, PMI = log p(c | x) − log p(c), pseudo-label argmax PMI and weight PMI/(−log p(ỹ)) clamped to [0, 1] (unknown classes get ≈ 0); the teacher representations and centres are tensors from the caller, and the paper\'s exact PMI estimator and weight rule are not in the abstract (authors\' README found, code not indexed).',
});
