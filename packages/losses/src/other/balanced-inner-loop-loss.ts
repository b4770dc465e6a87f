import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { rowCrossEntropy } from '../parts/contrastive-infonce.js';

const options = {
  startEpoch: opt.integer(0, 's: the expert epoch the unrolled student starts from (drawn by the training loop each distillation iteration).', '[0, inf)'),
  maxStartEpoch: opt.integer(20, 'M: the largest start epoch drawn (the authors\' CIFAR-100 command with --balance_loss uses 20).', '[1, inf)'),
  reduction: opt.reduction(),
};
export type BalancedInnerLoopLossOptions = OptionsOf<typeof options>;

/** The balancing factor w(s) of a start epoch s: log₅(s − ⌊M/2⌋ + 8) from the middle epoch on, 1/log₅(⌊M/2⌋ − s + 8) before it. */
export function innerLoopBalance(startEpoch: number, maxStartEpoch: number): number {
  const mid = Math.floor(maxStartEpoch / 2);
  return startEpoch >= mid ? Math.log(startEpoch - mid + 8) / Math.log(5) : Math.log(5) / Math.log(mid - startEpoch + 8);
}

/**
 * Balanced inner-loop loss of AST dataset distillation: the student's cross-entropy on the synthetic batch inside
 * the unrolled inner loop, scaled by the expert start epoch so that segments drawn early and late in the expert
 * trajectory pull on the synthetic data with balanced strength.
 *
 * ℓᵢ = w(s)·CE(zᵢ, yᵢ), CE = logsumexp(zᵢ) − z_{i,yᵢ} (max-shifted logSoftmax), w(s) = log₅(s − ⌊M/2⌋ + 8) for
 * s ≥ ⌊M/2⌋ and 1/log₅(⌊M/2⌋ − s + 8) otherwise (always in (0.6, ∞): late, slowly changing segments weigh more).
 * Follows shenjiyuan123/AST-Alignment-with-Smooth-Expert, distill.py (the inner-loop `ce_loss` under
 * `--balance_loss`). Use it as the inner objective of trajectory matching: θ_{j+1} = θ_j − α∇_θ ℓ(θ_j) with
 * createGraph, then match θ_N to the expert's θ_{s+N} (mtt-trajectory-matching).
 *
 * @param logits student logits on the synthetic batch [N, C]
 * @param target the synthetic labels [N] (int32)
 * @returns a scalar (the inner step's CE mean), or [N] with reduction 'none'
 * @see Shen et al., "Efficient Dataset Distillation through Alignment with Smooth and High-Quality Expert Trajectories", 2023
 */
export function balancedInnerLoopLoss(...args: Call<[logits: Tensor, target: Tensor], BalancedInnerLoopLossOptions>): Tensor {
  const [logits, target, { startEpoch, maxStartEpoch, reduction }] = entry.check(args);
  return applyReduction(rowCrossEntropy(logits, target).mul(innerLoopBalance(startEpoch, maxStartEpoch)), { reduction });
}

export const entry = defineLoss({
  id: 'balanced-inner-loop-loss',
  fn: balancedInnerLoopLoss,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: "The authors' code (AST distill.py, --balance_loss): the inner-loop CE scaled by a start-epoch factor, log₅(s − ⌊M/2⌋ + 8) or its reciprocal; the start epoch s and its maximum M are options the training loop sets each iteration, and the unrolled student steps and the trajectory matching stay the caller's.",
});
