/**
 * Pieces of the token-level LM objectives beyond parts/tokens.ts: the negatives drawn from preceding target
 * tokens (unlikelihood, contrastive token loss) and log(1 − p) of every vocabulary entry in log space.
 */
import { arange, type Tensor } from '@graft/core';

/**
 * Which vocabulary entries are negatives at each position [N, T, V] (bool): the distinct tokens among the
 * previous `window` counted targets y_{t−window..t−1} (all previous ones when window is Infinity), excluding y_t.
 * Built as a banded [T, T] matrix times the one-hot targets, so a token that repeats counts once.
 */
export function precedingTokenNegatives(target: Tensor, counted: Tensor, vocab: number, window: number): Tensor {
  const t = target.shape[1];
  const safe = counted.where(target, 0).cast('int32');
  const oneHot = safe.oneHot(vocab).cast('float32').mul(counted.cast('float32').unsqueeze(-1)); // [N, T, V]
  const i = arange(0, t, 1, { backend: target.backendName }).unsqueeze(-1);
  const j = arange(0, t, 1, { backend: target.backendName }).unsqueeze(0);
  const band = j.lt(i).logicalAnd(j.ge(i.sub(window))).cast('float32'); // band[t, s] = 1 for t − window ≤ s < t
  const seen = band.matmul(oneHot).gt(0);
  return seen.logicalAnd(safe.oneHot(vocab).bool().logicalNot());
}

/**
 * log(1 − softmax(z)_v) for every v [..., V], exactly and finitely: lse_{u≠v}(z_u) − lse(z). For v other than the
 * row's arg-max, lse_{u≠v} = m + log(Σ_u e^{z_u − m} − e^{z_v − m}), where the kept arg-max term makes the argument
 * ≥ 1 (no cancellation to 0); for the arg-max itself, the logsumexp of the row with it masked out. Needs V ≥ 2.
 */
export function logOneMinusSoftmax(z: Tensor): Tensor {
  const v = z.shape[z.ndim - 1];
  const m = z.amax(-1, true);
  const shifted = z.sub(m.detach());
  const s = shifted.exp().sum(-1, true);
  const arg = z.argmax(-1, true);
  const isMax = arange(0, v, 1, { backend: z.backendName }).eq(arg);
  const rest = isMax.where(1, s.sub(shifted.exp())).log().add(m.detach());
  const restOfMax = z.maskedFill(isMax, -Infinity).logsumexp(-1, true);
  return isMax.where(restOfMax, rest).sub(z.logsumexp(-1, true));
}
