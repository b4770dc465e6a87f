import { tensor, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type DafaOptions = OptionsOf<typeof options>;

/**
 * DAFA's class-weighted adversarial-training loss.
 *
 * L = mean_i W_{yᵢ}·l_AT(xᵢ, yᵢ; ε_{yᵢ}) with class weights W (1 during warm-up) and per-class radii
 * ε_c = W_c·ε used by the caller's attack. After warm-up, `dafaClassWeights` computes W from the class-wise
 * mean predicted probabilities P[c, j] (mean p_j over samples of class c), as the authors' code does: for
 * every pair c ≠ j, W_c += λ·P[c, j]·P[j, j] when class c is harder (P[c, c] < P[j, j]), and −= otherwise.
 * `createDafaState` keeps W (serialisable) and gives the radii.
 *
 * @param losses per-sample adversarial-training losses (TRADES or PGD-AT) [N]
 * @param target class indices [N] (int32)
 * @param classWeights W [C] (positive)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Lee, Lee & Park, "DAFA: Distance-Aware Fair Adversarial Training", ICLR 2024
 */
export function dafaLoss(...args: Call<[losses: Tensor, target: Tensor, classWeights: Tensor], DafaOptions>): Tensor {
  const [losses, target, classWeights, { reduction }] = entry.check(args);
  return applyReduction(losses.mul(classWeights.indexSelect(0, target)), { reduction });
}

/** P [C, C]: row c is the mean predicted probability vector over the samples labelled c (zeros for an absent class). */
export function classMeanProbs(probs: Tensor, target: Tensor): Tensor {
  const onehot = target.oneHot(probs.shape[1]).cast(probs.dtype); // [N, C]
  return onehot.transpose(0, 1).matmul(probs).div(onehot.sum(0).clamp(1).unsqueeze(-1));
}

/** The DAFA class weights from P [C, C] (the official rule, λ = 1 in the released scripts). */
export function dafaClassWeights(p: Tensor, { lambda = 1 } = {}): number[] {
  const c = p.shape[0];
  const m = Array.from(p.data());
  const at = (i: number, j: number) => m[i * c + j];
  return Array.from({ length: c }, (_, i) => {
    let w = 1;
    for (let j = 0; j < c; j++) {
      if (j === i) continue;
      w += (at(i, i) < at(j, j) ? 1 : -1) * lambda * at(i, j) * at(j, j);
    }
    return w;
  });
}

/** Serialisable DAFA state: the class weights W. */
export interface DafaStateDict { weights: number[]; lambda: number; eps: number }

export interface DafaState {
  /** W [C] for dafaLoss (all 1 until the first update). */
  weights(): Tensor;
  /** ε_c = W_c·ε [C]: the per-class attack radii. */
  radii(): Tensor;
  /** After warm-up: W from probabilities [N, C] and labels [N] of the training set (or a memory of them). */
  update(probs: Tensor, target: Tensor): Tensor;
  stateDict(): DafaStateDict;
  loadStateDict(state: DafaStateDict): void;
}

export function createDafaState(numClasses: number, { lambda = 1, eps = 8 / 255 } = {}): DafaState {
  let w = Array.from({ length: numClasses }, () => 1);
  const weights = () => tensor(w, { dtype: 'float64' });
  return {
    weights,
    radii: () => tensor(w.map((v) => v * eps), { dtype: 'float64' }),
    update(probs, target) { w = dafaClassWeights(classMeanProbs(probs.detach(), target), { lambda }); return weights(); },
    stateDict: () => ({ weights: [...w], lambda, eps }),
    loadStateDict(state) { w = [...state.weights]; lambda = state.lambda; eps = state.eps; },
  };
}

export const entry = defineLoss({
  id: 'dafa',
  fn: dafaLoss,
  args: [
    { name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'classWeights', shape: ['C'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
  reading: 'The weight rule of the authors\' code (W_c ± λ·P[c, j]·P[j, j] by which of c, j is harder, λ = 1, warm-up 70 epochs in their scripts) rather than the catalog\'s sketch; radii ε_c = W_c·ε; the loss is the W_y-weighted mean of the caller\'s per-sample AT losses.',
});
