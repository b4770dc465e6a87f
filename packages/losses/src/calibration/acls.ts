import type { Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(0.1, 'α: weight of the regulariser added to cross-entropy.', '[0, inf)'),
  lamPos: opt.number(1.0, 'λ₊: weight of the penalty on the largest logit exceeding M.', '[0, inf)'),
  lamNeg: opt.number(0.1, 'λ₋: weight of the penalty on the other logits falling more than M below the (stopped) largest.', '[0, inf)'),
  M: opt.number(10.0, 'M: the logit margin.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type AclsOptions = OptionsOf<typeof options>;

/**
 * ACLS: cross-entropy plus an adaptive, conditional label-smoothing regulariser on the logits.
 *
 * ℓᵢ = CE(zᵢ, yᵢ) + α [λ₊ Σ_{k=argmax} relu(zᵢₖ − M)² + λ₋/(C−1) Σ_{k≠argmax} relu(sg(max zᵢ) − zᵢₖ − M)²],
 * so the mean over i is the official code's CE + α(λ₊ Σ pos / N + λ₋ Σ neg / (N(C−1))). sg is a
 * stop-gradient (`detach`): the penalty on a small logit does not push the largest one down. CE is a
 * max-shifted log-softmax, so logits of ±1e4 stay finite (the squared penalties are then large but finite).
 *
 * @param logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Park et al., "ACLS: Adaptive and Conditional Label Smoothing for Network Calibration", ICCV 2023
 */
export function acls(...args: Call<[logits: Tensor, target: Tensor], AclsOptions>): Tensor {
  const [logits, target, { alpha, lamPos, lamNeg, M, reduction }] = entry.check(args);
  const c = logits.shape[1];
  const zmax = logits.amax(-1, true).detach();
  const isMax = logits.detach().eq(zmax).cast(logits.dtype); // ties: every maximal logit is "positive", as the code
  const pos = logits.sub(M).relu().square().mul(isMax).sum(-1);
  const neg = zmax.sub(logits).sub(M).relu().square().mul(isMax.neg().add(1)).sum(-1);
  // neg averages over the C − 1 non-maximal classes; at C = 1 there are none and it is 0 (not 0 / 0).
  const reg = pos.mul(lamPos).add(neg.mul(lamNeg / Math.max(c - 1, 1)));
  const ce = crossEntropy(logits, target, { reduction: 'none' });
  return applyReduction(ce.add(reg.mul(alpha)), { reduction });
}

export const entry = defineLoss({
  id: 'acls',
  fn: acls,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
