import { arange, cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction, type Reduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type OrdinalCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Ordinal cross-entropy on K − 1 cumulative logits (CORAL), the loss of an ordinal-softmax output layer.
 *
 * z_ik is the logit of P(yᵢ > k), k = 0..K − 2 (a shared score plus ordered biases in the CoralOrdinal layer);
 * with levels ℓ_ik = 1[yᵢ > k], ℓᵢ = −Σ_k λ_k [ℓ_ik·log σ(z_ik) + (1 − ℓ_ik)·log σ(−z_ik)] (log σ in its
 * stable softplus form: finite at logits of ±1e4). `ordinalSoftmax` turns the same logits into the K class
 * probabilities P(y = k) = P(y > k − 1) − P(y > k).
 *
 * Reading: The abstract names "ordinal softmax" and "ordinal cross-entropy" only; read as the functions of
 * those names in coral-ordinal, the Keras package by the paper's first author: CORAL's sum of K − 1 binary
 * cross-entropies on cumulative logits z_k = logit P(y > k) (K = their count + 1; no eps clamp is needed),
 * with optional per-threshold weights; ordinalSoftmax gives P(y = k). The alternative reading, −log P(y = yᵢ),
 * is −log ordinalSoftmax(z)_y.
 *
 * @param input cumulative logits z [N, K − 1]
 * @param target ordinal classes [N] (int32) in 0..K − 1
 * @param importance optional per-threshold weights λ [K − 1] (default all 1)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kennedy, Bacon, Sahn & von Vacano, "Constructing interval variables via faceted Rasch measurement and
 *   multitask deep learning: a hate speech application", 2020; Cao, Mirjalili & Raschka, "Rank consistent
 *   ordinal regression for neural networks with application to age estimation", Pattern Recognition Letters 2020
 */
export function ordinalCrossEntropy(...args: Call<[input: Tensor, target: Tensor, importance?: Tensor | OrdinalCrossEntropyOptions | null], OrdinalCrossEntropyOptions>): Tensor {
  // ordinalCrossEntropy(z, y, opts) reads the options in the importance weights' place: check returns importance undefined.
  const [input, target, importance, { reduction }] = entry.check(args) as [Tensor, Tensor, Tensor | null | undefined, { reduction: Reduction }];
  const t = input.shape[1];
  const levels = arange(0, t, 1, { dtype: 'int32', backend: input.backendName }).reshape([1, t]).lt(target.unsqueeze(-1));
  let perThreshold = levels.where(input.logSigmoid(), input.neg().logSigmoid());
  if (importance) perThreshold = perThreshold.mul(importance);
  return applyReduction(perThreshold.sum(-1).neg(), { reduction });
}

/** Class probabilities [N, K] from K − 1 cumulative logits: P(y = 0) = 1 − σ(z₀), P(y = k) = σ(z_{k−1}) − σ(z_k), P(y = K − 1) = σ(z_{K−2}). */
export function ordinalSoftmax(logits: Tensor): Tensor {
  const n = logits.shape[0];
  const above = cat([logits.newOnes([n, 1]), logits.sigmoid(), logits.newZeros([n, 1])], 1); // P(y > k − 1), k = 0..K
  const k = above.shape[1];
  return above.narrow(1, 0, k - 1).sub(above.narrow(1, 1, k - 1));
}

export const entry = defineLoss({
  id: 'ordinal-softmax-cross-entropy',
  fn: ordinalCrossEntropy,
  args: [
    { name: 'input', shape: ['N', 'T'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'ordinal', classes: 'T' },
    { name: 'importance', shape: ['T'], dtype: 'float', domain: 'nonneg', optional: true },
  ],
  options,
  output: 'per-sample',
  reading:
    'The abstract names "ordinal softmax" and "ordinal cross-entropy" only; read as the functions of those names in ' +
    "coral-ordinal, the Keras package by the paper's first author: CORAL's sum of K − 1 binary cross-entropies on " +
    'cumulative logits z_k = logit P(y > k) (K = their count + 1; no eps clamp is needed), with optional per-threshold ' +
    'weights; ordinalSoftmax gives P(y = k). The alternative reading, −log P(y = yᵢ), is −log ordinalSoftmax(z)_y.',
});
