import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { tokenMask } from '../parts/tokens.js';

const options = {
  epsLow: opt.number(0.2, 'ε_low: the lower clip of the importance ratio, 1 − ε_low (the authors\' run: 0.2).', '[0, 1]'),
  epsHigh: opt.number(0.28, 'ε_high: the upper clip, 1 + ε_high (the authors\' run: 0.28, clip-higher).', '[0, 1]'),
  clipRatioC: opt.number(10, 'c: the dual-clip bound, −c·A caps the loss of a negative-advantage token (the authors\' run: 10).', '(1, inf)'),
  weightMin: opt.number(0.8, 'w_min: the smallest token weight (the authors\' run: 0.8).', '(0, 1]'),
  weightMax: opt.number(1, 'w_max: the largest token weight of the linear mapping (the authors\' run: 1.0; their function\'s default 1.2).', '[1, inf)'),
  mapping: opt.oneOf(['exp', 'linear'] as const, 'exp', "How |Ω| maps to weights: 'exp' w = clip(e^{−κ|Ω|}, w_min, 1), κ = −ln w_min / max(max|Ω|, 0.02) (the authors' run); 'linear' from w_max at min|Ω| down to w_min at max|Ω|."),
  aggregation: opt.oneOf(['token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'] as const, 'token-mean', "verl's loss_agg_mode: the mean over all counted tokens (default), the mean over sequences of their token sums or token means, or the total divided by T."),
};
export type SteerEntropyReweightingOptions = OptionsOf<typeof options>;

/**
 * STEER: the dual-clip PPO/GRPO token loss reweighted token by token by the estimated entropy change the token's
 * update causes, so that tokens that would move the entropy most are damped and entropy dynamics stay stable.
 *
 * With x = clip(π(aₜ), 1e-8, 1 − 1e-8), the current entropy H and the old probability π_old: Ω = A/π_old · x(1 − x)
 * (ln x + H) (the first-order entropy change of the step); weights map |Ω| monotonically into [w_min, w_max]
 * ('exp' or 'linear', min and max over the counted tokens) and are held constant. The token loss is the dual-clip
 * surrogate l = −max(ρA, clip(ρ, 1 − ε_low, 1 + ε_high)A), capped at −cA where A < 0, ρ = exp(clip(lp − sg(lp_old),
 * ±20)); L = agg(w·l). Follows zz-haooo/STEER, verl/trainer/ppo/core_algos.py (`compute_token_weights`,
 * `compute_policy_loss_with_entropy`) with the defaults of its run/run_exp.sh.
 *
 * @param logProbs current-policy token log-probs [N, T]
 * @param oldLogProbs behaviour-policy token log-probs [N, T] (held constant)
 * @param advantages token advantages A [N, T] (held constant; GRPO's group advantages broadcast over the tokens)
 * @param entropies the current policy's token entropies H [N, T] (held constant)
 * @param mask optional [N, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar
 * @see "Rethinking Entropy Interventions in RLVR: An Entropy Change Perspective", 2025
 */
export function steerEntropyReweightingLoss(...args: Call<[logProbs: Tensor, oldLogProbs: Tensor, advantages: Tensor, entropies: Tensor, mask?: Tensor], SteerEntropyReweightingOptions>): Tensor {
  const [logProbs, oldLogProbs, advantages, entropies, mask, o] = entry.check(args);
  const m = tokenMask(logProbs, mask);
  const adv = advantages.detach();
  const weights = m.where(steerTokenWeights(logProbs.detach(), oldLogProbs.detach(), adv, entropies.detach(), m, o), 0);
  const ratio = logProbs.sub(oldLogProbs.detach()).clamp(-20, 20).exp();
  const clipped = adv.mul(ratio).neg().maximum(adv.mul(ratio.clamp(1 - o.epsLow, 1 + o.epsHigh)).neg());
  const dual = adv.lt(0).where(adv.mul(-o.clipRatioC).minimum(clipped), clipped);
  const losses = m.where(dual.mul(weights), 0);
  const count = m.cast(losses.dtype);
  switch (o.aggregation) {
    case 'token-mean': return losses.sum().div(count.sum().clamp(1));
    case 'seq-mean-token-sum': return losses.sum(-1).mean();
    case 'seq-mean-token-mean': return losses.sum(-1).div(count.sum(-1).clamp(1)).mean();
    case 'seq-mean-token-sum-norm': return losses.sum().div(Math.max(losses.shape[1], 1));
    default: return o.aggregation satisfies never;
  }
}

/** STEER's token weights from detached inputs: |Ω| mapped into [w_min, w_max], min and max over the tokens of `m`. */
function steerTokenWeights(lp: Tensor, oldLp: Tensor, adv: Tensor, entropy: Tensor, m: Tensor, o: { weightMin: number; weightMax: number; mapping: 'exp' | 'linear' }): Tensor {
  const x = lp.exp().clamp(1e-8, 1 - 1e-8);
  const f = x.mul(x.neg().add(1)).mul(x.log().add(entropy));
  const omega = adv.div(oldLp.exp().clamp(1e-8, 1)).mul(f);
  const metric = omega.abs().lt(Infinity).where(omega, 0).abs();
  const hi = m.where(metric, -Infinity).amax();
  if (o.mapping === 'exp') {
    const kappa = hi.clamp(0.02).reciprocal().mul(-Math.log(o.weightMin));
    return metric.mul(kappa).neg().exp().clamp(o.weightMin, 1);
  }
  const lo = m.where(metric, Infinity).amin();
  const spread = hi.sub(lo);
  const spreads = spread.gt(0);
  const scale = spreads.where(spread, 1).reciprocal().mul(o.weightMax - o.weightMin);
  const linear = metric.sub(lo).mul(scale).neg().add(o.weightMax);
  return spreads.where(linear, (o.weightMin + o.weightMax) / 2).clamp(o.weightMin, o.weightMax);
}

export const entry = defineLoss({
  id: 'steer-entropy-reweighting',
  fn: steerEntropyReweightingLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'oldLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'advantages', shape: ['N', 'T'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'entropies', shape: ['N', 'T'], dtype: 'float', domain: 'nonneg', stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'batch',
  reading: "The authors' code (STEER core_algos.py) with their run script's settings: token weights from |Ω| = |A/π_old · x(1 − x)(ln x + H)|, exponential mapping into [0.8, 1], on verl's dual-clip PPO token loss, token-mean aggregation. Advantages, old log-probs and entropies are the trainer's tensors (held constant).",
  surrogateGradient: 'the token weights depend on log π but are computed under no_grad (as compute_token_weights does): the gradient holds them constant',
});
