import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { groupStats, membership } from '../parts/reg-a-group-stats.js';
import { applyReduction } from '../reduce.js';

const options = {
  bound: opt.oneOf(['mean-std', 'max'], 'mean-std', "The group's upper error bound UB_g: 'mean-std' mean_g + k·std_g, 'max' the group's largest loss."),
  k: opt.number(1, 'k of the \'mean-std\' bound (not given in the abstract; one standard deviation).', '[0, inf)'),
  detachWeights: opt.boolean(true, 'Hold the weights constant (sg, the paper\'s form); false lets gradients flow through them too.'),
  reduction: opt.reduction(),
};
export type FebsOptions = OptionsOf<typeof options>;

/**
 * Fair error-bound scaling (FEBS): re-weights each sample's loss by its identity group's upper error bound, so that
 * groups with worse (harder) errors get more weight.
 *
 * UB_g from the losses of group g (detached): 'mean-std' mean_g + k·std_g (population std), 'max' max_g;
 * w_g = UB_g / mean_{g present} UB_g (mean 1 over the groups present); ℓᵢ = w_{gᵢ}·lᵢ, averaged over the batch.
 * A batch whose bounds are all 0 gives w = 1 (the ratio is 0/0 there). A sample in several groups takes the mean of
 * their weights; one in none, 0.
 *
 * @param input per-sample losses l [N] (e.g. Dice + CE, reduction 'none')
 * @param groups identity-group membership [N, G] (0/1; rows may overlap), or group ids g [N] (int32, G = max g + 1); empty groups are left out
 * @returns a scalar, or [N] with reduction 'none'
 * @see Tian et al., "FairSeg: A Large-Scale Medical Image Segmentation Dataset for Fairness Learning Using Segment
 *   Anything Model with Fair Error-Bound Scaling", ICLR 2024
 */
export function febs(...args: Call<[input: Tensor, groups: Tensor], FebsOptions>): Tensor {
  const [l, groups, { bound, k, detachWeights, reduction }] = entry.check(args);
  const d = detachWeights ? l.detach() : l;
  const { member, count, present, mean } = groupStats(d, membership(groups, d));
  let ub: Tensor;
  if (bound === 'max') {
    ub = present.gt(0).where(member.gt(0).where(d.unsqueeze(-1), -Infinity).amax(0), 0);
  } else {
    const sq = d.unsqueeze(-1).sub(mean).square().mul(member).sum(0).div(count.clamp(1));
    ub = mean.add(sq.sqrt().mul(k));
  }
  const avg = ub.mul(present).sum().div(present.sum());
  const w = avg.gt(0).where(ub.div(avg.gt(0).where(avg, 1)), 1);
  const wi = member.mul(w).sum(-1).div(member.sum(-1).clamp(1)); // several groups: the mean of their weights
  return applyReduction(l.mul(wi), { reduction });
}

export const entry = defineLoss({
  id: 'febs',
  fn: febs,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'nonneg' },
    { name: 'groups', shape: ['N', 'G'], dtype: 'float', domain: 'mask', or: { shape: ['N'], dtype: 'int', domain: 'nonneg' } },
  ],
  options,
  surrogateGradient: "the group bounds UB_g are computed from detached losses (detachWeights, the paper's form)",
  output: 'per-sample',
  reading: 'Per-group upper error bound UB_g = mean_g + k·std_g of the detached losses (or the group max), weights w_g = UB_g normalised to mean 1 over the groups present, L = mean_i w_{gᵢ}·lᵢ.',
});
