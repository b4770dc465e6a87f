import { beta, type Generator, randperm, type Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type MixupCeOptions = OptionsOf<typeof options>;

/** A mixed batch: inputs, both targets, the coefficient(s) λ and the partner permutation. */
export interface MixupBatch {
  /** λ·x + (1 − λ)·x[perm], shaped like x */
  mixed: Tensor;
  /** the original targets y_i */
  targetA: Tensor;
  /** the partners' targets y_perm(i) */
  targetB: Tensor;
  /** λ: a scalar tensor, or [N] with `perSample` */
  lam: Tensor;
  /** the partner of each sample [N] (int32) */
  perm: Tensor;
}

export interface MixupBatchOptions {
  /** α of λ ~ Beta(α, α): 1 (Zhang et al., CIFAR; 0.2 for ImageNet); RegMixup uses 20. */
  alpha?: number;
  /** One λ per sample instead of one per batch (the paper draws one per batch). */
  perSample?: boolean;
  generator?: Generator;
}

/**
 * The data side of mixup (and RegMixup): draws λ ~ Beta(α, α) and a random partner permutation from
 * `generator`, and mixes x (inputs or features, [N, ...]) with its partners. Feed `mixed` to the model,
 * then `mixupCe(logits, targetA, targetB, lam)`.
 */
export function mixupBatch(x: Tensor, target: Tensor, { alpha = 1, perSample = false, generator }: MixupBatchOptions = {}): MixupBatch {
  const n = x.shape[0];
  const lam = beta(alpha, alpha, perSample ? [n] : [], { generator, dtype: x.dtype, backend: x.backendName });
  const perm = randperm(n, { generator, backend: x.backendName });
  const l = perSample ? lam.reshape([n, ...x.shape.slice(1).map(() => 1)]) : lam;
  const mixed = x.mul(l).add(x.indexSelect(0, perm).mul(l.neg().add(1)));
  return { mixed, targetA: target, targetB: target.indexSelect(0, perm), lam, perm };
}

/**
 * Mixup cross-entropy: the cross-entropy of the mixed input's logits against the interpolated
 * labels, λ·CE(z, y_a) + (1 − λ)·CE(z, y_b) = CE against the soft target λ·onehot(y_a) + (1 − λ)·onehot(y_b).
 *
 * Each CE is the max-shifted logsumexp form, finite at logits of ±1e4. λ ~ Beta(α, α) with α = 1 (CIFAR) or
 * 0.2 (ImageNet) is drawn on the data side: `mixupBatch` draws it and the partner permutation from a seeded
 * generator and mixes the inputs (or features, for manifold mixup).
 *
 * @param logits logits of the mixed inputs [N, C]
 * @param targetA class indices of the first sample of each pair [N] (int32)
 * @param targetB class indices of the partner [N] (int32)
 * @param lam the mixing coefficient λ ∈ [0, 1]: a scalar tensor [] or one per sample [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhang, Cisse, Dauphin & Lopez-Paz, "mixup: Beyond Empirical Risk Minimization", ICLR 2018 (used by RankMixup,
 *   ICCV 2023; Metrix, ICLR 2022; "On the Limitations of Temperature Scaling for Distributions with Overlaps", ICLR 2024)
 */
export function mixupCe(...args: Call<[logits: Tensor, targetA: Tensor, targetB: Tensor, lam: Tensor], MixupCeOptions>): Tensor {
  const [logits, targetA, targetB, lam, { reduction }] = entry.check(args);
  const ceA = crossEntropy(logits, targetA, { reduction: 'none' });
  const ceB = crossEntropy(logits, targetB, { reduction: 'none' });
  return applyReduction(ceB.add(ceA.sub(ceB).mul(lam)), { reduction });
}

export const entry = defineLoss({
  id: 'mixup-ce',
  fn: mixupCe,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'targetA', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'targetB', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'lam', shape: ['N'], dtype: 'float', domain: 'prob', or: { shape: [], dtype: 'float', domain: 'prob' } },
  ],
  options,
  output: 'per-sample',
});
