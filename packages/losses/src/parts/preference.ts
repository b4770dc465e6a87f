/**
 * Shared pieces of the preference and RL objectives: the DPO log-ratio margin (reference held
 * constant), a stable log(1 − e^a), group-relative advantages, the PPO clipped surrogate per token,
 * the k3 KL estimator, and the aggregations of per-token losses (per-response mean, token mean,
 * constant normaliser, ΔL weights). Sequence log-probabilities come from `parts/tokens.ts`.
 */
import { ArgumentError, type Tensor } from '@graft/core';
import { tokenMask } from './tokens.js';

const LN2 = Math.LN2;

/** h = (π_w − sg(ref_w)) − (π_l − sg(ref_l)); without references (reference-free forms) h = π_w − π_l. */
export function logRatioMargin(chosen: Tensor, rejected: Tensor, refChosen?: Tensor | null, refRejected?: Tensor | null): Tensor {
  const w = refChosen ? chosen.sub(refChosen.detach()) : chosen;
  const l = refRejected ? rejected.sub(refRejected.detach()) : rejected;
  return w.sub(l);
}

/**
 * log(1 − e^a) for a ≤ 0 (Mächler's log1mexp): log(−expm1(a)) for a > −ln 2, log1p(−e^a) otherwise. Each
 * branch sees its input clamped to its own side, so the branch `where` drops cannot leak NaN into the gradient.
 * a = 0 gives −∞ (1 − e^0 = 0).
 */
export function log1mexp(a: Tensor): Tensor {
  const near = a.gt(-LN2);
  const hi = a.clamp(-LN2, 0).expm1().neg().log();
  const lo = a.clamp(undefined, -LN2).exp().neg().log1p();
  return near.where(hi, lo);
}

/**
 * Group-relative advantages of rewards [..., G] (each group along the last dim), held constant (detached):
 * A = (R − mean R) / (std R + eps) with the unbiased std (torch's default, TRL's GRPO), or R − mean R when
 * `scale` is false (Dr. GRPO). A group of one has no spread: its advantage is 0.
 */
export function groupAdvantages(rewards: Tensor, { scale = true, eps = 1e-4 }: { scale?: boolean; eps?: number } = {}): Tensor {
  const r = rewards.detach();
  const centred = r.sub(r.mean(-1, true));
  if (!scale) return centred;
  if (r.shape[r.ndim - 1] < 2) return centred.mul(0);
  return centred.div(r.std(-1, { keepdim: true }).add(eps));
}

/**
 * The PPO clipped surrogate per token, as a loss: −min(ρ·A, clip(ρ, 1 − ε_low, 1 + ε_high)·A), ρ = exp(logp −
 * sg(oldLogp)). `adv` broadcasts against logp ([G, 1] against [G, T]) and is held constant.
 */
export function clippedSurrogate(logp: Tensor, oldLogp: Tensor, adv: Tensor, epsLow: number, epsHigh: number): Tensor {
  const ratio = logp.sub(oldLogp.detach()).exp();
  const a = adv.detach();
  return ratio.mul(a).minimum(ratio.clamp(1 - epsLow, 1 + epsHigh).mul(a)).neg();
}

/** The k3 estimator of KL(π ‖ ref) per token: e^d − d − 1, d = sg(refLogp) − logp (≥ 0, unbiased under samples of π). */
export function k3Kl(logp: Tensor, refLogp: Tensor): Tensor {
  const d = refLogp.detach().sub(logp);
  return d.exp().sub(d).sub(1);
}

/**
 * The ΔL aggregation weights of responses with lengths L [G] (constants): x_i = L_i^{−α} / Σ_j L_j^{−α};
 * α = 0 gives 1/G (Dr. GRPO's), α = 1 the minimum-variance unbiased choice. Lengths below 1 count as 1.
 */
export function deltaLWeights(lengths: Tensor, alpha: number): Tensor {
  const w = lengths.detach().clamp(1).pow(-alpha);
  return w.div(w.sum());
}

/** What `grpoTokenLosses` needs besides the tensors. */
export interface GrpoTokenOptions {
  mask?: Tensor | null;
  /** Responses per prompt (consecutive rows); null: the whole batch is one group. */
  groupSize: number | null;
  /** Divide the centred rewards by their std (GRPO, DAPO) or not (Dr. GRPO). */
  scale: boolean;
  stdEps: number;
  epsLow: number;
  epsHigh: number;
}

/**
 * The GRPO family's per-token losses [G, T]: group-relative advantages of `rewards` [G] broadcast over the
 * tokens, the clipped surrogate of ρ = exp(logp − sg(oldLogp)), and the mask of counted tokens (bool [G, T]).
 */
export function grpoTokenLosses(op: string, logp: Tensor, oldLogp: Tensor, rewards: Tensor, o: GrpoTokenOptions): { losses: Tensor; mask: Tensor } {
  const g = rewards.shape[0];
  const size = o.groupSize ?? g;
  if (g % size !== 0) throw new ArgumentError(op, `option 'groupSize': ${size} does not divide the ${g} responses`);
  const adv = groupAdvantages(rewards.reshape([g / size, size]), { scale: o.scale, eps: o.stdEps }).reshape([g, 1]);
  const mask = tokenMask(logp, o.mask);
  return { losses: clippedSurrogate(logp, oldLogp, adv, o.epsLow, o.epsHigh), mask };
}
