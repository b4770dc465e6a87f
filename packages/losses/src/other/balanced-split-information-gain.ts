import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  mu: opt.number(1, 'μ: the weight of the balance penalty (not in the abstract: 1, so a fully one-sided split costs ¼, on the scale of the gain in nats).', '[0, inf)'),
};
export type BalancedSplitOptions = OptionsOf<typeof options>;

/** The entropy (nats) of soft class counts [K]: −Σ p log p with p = counts / Σ counts (0 for an empty side). */
function entropyOfCounts(counts: Tensor): Tensor {
  const total = counts.sum();
  const ok = total.gt(0);
  const p = counts.div(ok.where(total, 1));
  // p log p with 0 log 0 = 0 in value and gradient: a class with no mass on this side passes no ∞ backward.
  const pos = p.gt(0);
  const safe = pos.where(p, 1);
  return pos.where(safe.mul(safe.log()), 0).sum().neg();
}

/**
 * Balanced-split information-gain loss of a soft decision-tree node on CNN features: the split should separate
 * the classes (high information gain) and send about half of the samples each way.
 *
 * sᵢ = σ(zᵢ) the probability of going left; soft class counts left n_L,k = Σᵢ sᵢ·1[yᵢ = k], right n_R,k = Σᵢ (1 − sᵢ)
 * 1[yᵢ = k]; q = mean sᵢ; IG = H(y) − [q·H(y | left) + (1 − q)·H(y | right)]; L = −IG + μ·(q − ½)². Stable form:
 * sᵢ and 1 − sᵢ = σ(−zᵢ) from the logit, entropies with 0·log 0 = 0 (guarded, so also in the gradient). Reading: the balance penalty is the
 * catalog's squared deviation of the mean split from ½, with μ = 1.
 *
 * @param input split logits zᵢ = wᵀfᵢ + b [N]
 * @param target class indices [N] (int32)
 * @returns a scalar
 * @see "Collaborative Training of Balanced Random Forests for Open Set Domain Adaptation", 2020
 */
export function balancedSplitInformationGain(...args: Call<[input: Tensor, target: Tensor], BalancedSplitOptions>): Tensor {
  const [input, target, { mu }] = entry.check(args);
  // Classes without samples have zero counts on both sides and add nothing: max label + 1 columns suffice.
  const k = target.size ? target.max().item() + 1 : 1;
  const onehot = target.oneHot(k).cast(input.dtype); // [N, K]
  const left = input.sigmoid();
  const right = input.neg().sigmoid();
  const q = left.mean();
  const hY = entropyOfCounts(onehot.sum(0));
  const hL = entropyOfCounts(left.unsqueeze(1).mul(onehot).sum(0));
  const hR = entropyOfCounts(right.unsqueeze(1).mul(onehot).sum(0));
  const ig = hY.sub(q.mul(hL).add(right.mean().mul(hR)));
  return ig.neg().add(q.sub(0.5).square().mul(mu));
}

export const entry = defineLoss({
  id: 'balanced-split-information-gain',
  fn: balancedSplitInformationGain,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
  reading: 'L = −IG + μ(mean s − ½)² with soft class counts weighted by s (left) and 1 − s (right), entropies in nats, μ = 1.',
});
