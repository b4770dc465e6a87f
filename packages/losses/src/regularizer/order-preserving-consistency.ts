import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(0.5, 'λ: the share of the original view in the augmented one, f_aug = λ·f + (1 − λ)·r (the authors\' PACS config LAM = 0.5, reached by their schedule λ_t = LAM·(1 − (1 + 10t)^−0.75), t the training progress; pass λ_t per call to follow it).', '[0, 1)'),
  reduction: opt.reduction(),
};
export type OrderPreservingConsistencyOptions = OptionsOf<typeof options>;

/**
 * Order-preserving consistency regularisation (OCR): the augmented view is read as a mixture of the original
 * view and a residual component, f_aug = λ·f + (1 − λ)·r, and the residual's prediction is pushed to the uniform
 * distribution (maximum entropy). A residual that favours no class cannot change the order of the class
 * probabilities of the mixture, so the prediction of the augmented view keeps the order of the original's.
 *
 * r = (f_aug − λ·f)/(1 − λ); for a linear head z = W·f + b its logits are exactly z_r = (z_aug − λ·z)/(1 − λ),
 * so the regulariser takes the two views' logits. ℓ = −H(softmax(z_r)) = Σ_k p_k·log p_k with log p from the
 * max-shifted logSoftmax (finite at any logits; the authors' code adds 1e-5 inside the log instead). Training
 * minimises CE(z, y) + w·ℓ (the authors' w = 0.2).
 *
 * Follows mmjing/OCR trainers/demix.py (Demix_Loss, subtracted from the cross-entropy).
 *
 * @param logits logits of the original view z [N, C]
 * @param logitsAug logits of the augmented view z_aug [N, C]
 * @returns the mean over samples; 'sum'; or the per-sample negative entropies [N] with reduction 'none'
 * @see Jing et al., "Order-preserving Consistency Regularization for Domain Adaptation and Generalization", ICCV 2023
 */
export function orderPreservingConsistency(...args: Call<[logits: Tensor, logitsAug: Tensor], OrderPreservingConsistencyOptions>): Tensor {
  const [logits, logitsAug, { lambda, reduction }] = entry.check(args);
  const residual = logitsAug.sub(logits.mul(lambda)).div(1 - lambda);
  const logp = residual.logSoftmax(-1);
  return applyReduction(logp.exp().mul(logp).sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'order-preserving-consistency',
  fn: orderPreservingConsistency,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'logitsAug', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'per-sample',
  reading: 'The authors\' residual-entropy form: the residual r = (f_aug − λf)/(1 − λ) of the augmented view, classified by the linear head (so its logits are (z_aug − λz)/(1 − λ) from the two views\' logits), and ℓ = −H(softmax) to be minimised; λ\'s schedule and the weight 0.2 beside the CE are the training loop\'s.',
});
