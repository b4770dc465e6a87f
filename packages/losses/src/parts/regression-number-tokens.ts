/**
 * The Number Token Loss's shared core (Zausinger et al., "Regress, Don't Guess"): at each position, the LM's
 * distribution renormalised over the number tokens, q = softmax(z[..., numIds]) (log-softmax of the gathered
 * logits: max-shifted), the one-hot (or, for a repeated id, spread) target t over those tokens, and which positions
 * have a number token as target. ntl-mse regresses Σ q·v on v(y); ntl-was takes the W1 distance between q and t
 * over the tokens sorted by value. The total adds λ·(mean over number positions) to the token cross-entropy.
 */
import type { Tensor } from '@graft/core';

export interface NumberTokenTerms {
  /** q [B, T, M]: the distribution over the number tokens. */
  q: Tensor;
  /** t [B, T, M]: the target's indicator over the number tokens (all 0 at non-number positions). */
  t: Tensor;
  /** [B, T] float: 1 where the target is a number token. */
  isNumber: Tensor;
  /** The token cross-entropy lse(z) − z_y averaged over every position. */
  ce: Tensor;
}

export function numberTokenTerms(logits: Tensor, target: Tensor, numIds: Tensor, like: Tensor = logits): NumberTokenTerms {
  const [B, T] = [logits.shape[0], logits.shape[1]];
  const M = numIds.shape[0];
  const match = target.unsqueeze(-1).eq(numIds).cast(like.dtype); // [B, T, M]
  const hits = match.sum(-1, true);
  const isNumber = hits.squeeze(-1).gt(0).cast(like.dtype);
  const zn = logits.gather(-1, numIds.reshape([1, 1, M]).expand([B, T, M]));
  const ce = logits.logsumexp(-1).sub(logits.gather(-1, target.unsqueeze(-1)).squeeze(-1)).mean();
  return { q: zn.softmax(-1), t: match.div(hits.clamp(1)), isNumber, ce };
}

/** CE + λ·(the mean of `perPosition` over the number positions; 0 when there are none). */
export function withNumberTerm({ isNumber, ce }: NumberTokenTerms, perPosition: Tensor, lambda: number): Tensor {
  return ce.add(perPosition.mul(isNumber).sum().div(isNumber.sum().clamp(1)).mul(lambda));
}
