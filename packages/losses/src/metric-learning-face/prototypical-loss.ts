import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { squaredEuclideanMatrix } from '../parts/distances.js';
import { softmaxCrossEntropy } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = { reduction: opt.reduction() };
export type PrototypicalOptions = OptionsOf<typeof options>;

/** Class prototypes c_k = the mean of the support embeddings of class k: [S, D], labels [S] → [K, D]. */
export function prototypes(support: Tensor, labels: Tensor, classes: number): Tensor {
  const mask = labels.oneHot(classes).cast(support.dtype); // [S, K]
  return mask.T.matmul(support).div(mask.sum(0).clamp(1).unsqueeze(1));
}

/**
 * Prototypical-network episodic loss.
 *
 * logits_qk = −‖f(q) − c_k‖² (squared Euclidean, from the differences); ℓ_q = lse_k(logits_qk) − logits_{q,y_q}
 * (max-shifted). The prototypes c_k are the support means (`prototypes`), passed as a tensor so the gradient
 * reaches the support embeddings through them.
 *
 * @param queries query embeddings [Q, D]
 * @param labels episode-local class indices [Q] (int32) in [0, K)
 * @param protos prototypes [K, D]
 * @returns the mean over queries; 'sum'; or the per-query losses [Q] with reduction 'none'
 * @see Snell, Swersky & Zemel, "Prototypical Networks for Few-shot Learning", NeurIPS 2017, arXiv:1703.05175
 */
export function prototypicalLoss(...args: Call<[queries: Tensor, labels: Tensor, protos: Tensor], PrototypicalOptions>): Tensor {
  const [queries, labels, protos, { reduction }] = entry.check(args);
  return applyReduction(softmaxCrossEntropy(squaredEuclideanMatrix(queries, protos).neg(), labels), { reduction });
}

export const entry = defineLoss({
  id: 'prototypical-loss',
  fn: prototypicalLoss,
  args: [
    { name: 'queries', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'protos', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
