import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  alpha: opt.number(0.01, 'α: the balance coefficient (1e-2 in Switch; 1e-3 DeepSeek-style).', '[0, inf)'),
  topK: opt.integer(1, 'K: experts per token (used for f_i, and to build the assignment mask from the scores when none is given).', '[1, inf)'),
};
export type MoeLoadBalancingLossOptions = OptionsOf<typeof options>;

/**
 * The auxiliary load-balancing loss of a mixture-of-experts router (Switch / GShard style): the
 * dispatch fractions times the mean router probabilities, summed over experts.
 *
 * f_i = E/(K·T)·Σ_t 1[i ∈ topK(t)] (held constant: no gradient), P_i = (1/T)·Σ_t s_{t,i}, L = α·Σ_i f_i·P_i.
 * With K = 1 this is Switch's α·E·Σ_i (fraction of tokens to i)·P_i; it is α at a uniform router and grows as
 * the dispatch concentrates. Only P carries a gradient (through the router scores), so the loss is linear in s.
 *
 * @param scores router probabilities s [T, E] (softmax or sigmoid scores)
 * @param mask the top-K assignment [T, E] (1 where token t is dispatched to expert i); default: the top-K of
 *   `scores` per token
 * @returns a scalar
 * @see Fedus, Zoph & Shazeer, "Switch Transformers", JMLR 2022; Wang et al., "Auxiliary-Loss-Free Load Balancing
 *   Strategy for Mixture-of-Experts", 2024 (arXiv:2408.15664), which describes this loss as its baseline
 */
export function moeLoadBalancingLoss(...args: Call<[scores: Tensor, mask?: Tensor], MoeLoadBalancingLossOptions>): Tensor {
  const [scores, mask, { alpha, topK }] = entry.check(args);
  const [t, e] = scores.shape;
  if (topK > e) throw new ArgumentError('moeLoadBalancingLoss', `option 'topK': expected at most E = ${e} experts, got ${topK}`);
  const dispatch = mask ?? scores.detach().zerosLike().scatter(1, scores.detach().topk(topK, 1).indices, 1);
  const f = dispatch.detach().cast(scores.dtype).sum(0).mul(e / (topK * t));
  const p = scores.mean(0);
  return f.mul(p).sum().mul(alpha);
}

export const entry = defineLoss({
  id: 'moe-load-balancing-loss',
  fn: moeLoadBalancingLoss,
  args: [
    { name: 'scores', shape: ['T', 'E'], dtype: 'float', domain: 'simplex' },
    { name: 'mask', shape: ['T', 'E'], dtype: 'float', domain: 'binary', optional: true },
  ],
  options,
  output: 'batch',
});
