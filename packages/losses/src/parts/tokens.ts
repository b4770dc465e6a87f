/**
 * Token-level plumbing shared by the language-model and preference/RL objectives: per-token
 * log-probabilities of the taken tokens, masks (ignore-index and padding), masked token means,
 * per-sequence sums and length normalisation.
 *
 * Log-probabilities are always log_softmax(logits) gathered at the token (a max-shifted logsumexp),
 * never the log of a softmax formed first, so they stay finite and exact at logits of ±1e4. Masked
 * positions are selected away with `where`, never multiplied by 0, so a non-finite value there cannot
 * leak NaN into a sum or its gradient.
 *
 * Alignment: `logits[b, t]` scores `tokens[b, t]`. A causal LM's logits at t predict token t + 1: pass
 * `shiftForNextToken(logits, tokens)` first (TRL's `logits[:, :-1]` against `labels[:, 1:]`).
 */
import { type Tensor } from '@graft/core';

/** PyTorch's and Hugging Face's label to skip (`ignore_index = -100`). */
export const IGNORE_INDEX = -100;

/** A causal LM's logits [B, T, V] and tokens [B, T] aligned for next-token scoring: logits[:, :-1] against tokens[:, 1:]. */
export function shiftForNextToken(logits: Tensor, tokens: Tensor, mask?: Tensor | null): [Tensor, Tensor, Tensor | null] {
  const t = tokens.shape[1];
  return [logits.narrow(1, 0, t - 1), tokens.narrow(1, 1, t - 1), mask ? mask.narrow(1, 1, t - 1) : null];
}

/**
 * The positions that count, as a bool tensor shaped like `tokens`: `mask` (bool or 0/1, any nonzero
 * counts) and, when `ignoreIndex` is given, tokens ≠ ignoreIndex. With neither, every position counts.
 */
export function tokenMask(tokens: Tensor, mask?: Tensor | null, ignoreIndex?: number): Tensor {
  let m = mask ? (mask.dtype === 'bool' ? mask : mask.ne(0)) : tokens.onesLike().bool();
  if (ignoreIndex !== undefined) m = m.logicalAnd(tokens.ne(ignoreIndex));
  return m;
}

export interface SequenceLogProbs {
  /** log p(token_t | ·) at each position [B, T]; 0 at positions that do not count. */
  tokens: Tensor;
  /** The positions that count [B, T] (bool). */
  mask: Tensor;
  /** Σ_t log p over counted tokens [B]. */
  sum: Tensor;
  /** The number of counted tokens per sequence [B] (float, the logits' dtype). */
  count: Tensor;
  /** Σ_t log p / count [B] (0 for a sequence with no counted token). */
  mean: Tensor;
}

/**
 * Per-token log-probabilities of `tokens` under `logits`, and their per-sequence sum and mean.
 *
 * log p_t = log_softmax(z_t)[y_t] = z_t,y − logsumexp(z_t). Ignored tokens (ignoreIndex, or mask 0) are
 * gathered at class 0 (any valid index) and then selected away, so out-of-range labels like −100 never
 * reach `gather` and get no gradient.
 *
 * @param logits [B, T, V] (or [..., V])
 * @param tokens [B, T] int32 token ids (shaped like logits without its last dim)
 * @param mask optional [B, T], bool or 0/1: which positions count
 * @param ignoreIndex optional label to skip (e.g. −100)
 */
export function sequenceLogProbs(logits: Tensor, tokens: Tensor, mask?: Tensor | null, ignoreIndex?: number): SequenceLogProbs {
  const m = tokenMask(tokens, mask, ignoreIndex);
  const safe = m.where(tokens, 0).cast('int32');
  const lp = logits.logSoftmax(-1).gather(-1, safe.unsqueeze(-1)).squeeze(-1);
  const tokenLp = m.where(lp, 0);
  const last = tokens.ndim - 1;
  const sum = tokenLp.sum(last);
  const count = m.cast(logits.dtype).sum(last);
  return { tokens: tokenLp, mask: m, sum, count, mean: sum.div(count.clamp(1)) };
}

/** Σ_t values over positions where `mask` is true, along `dim` (default the last): per-sequence sums. */
export function maskedSum(values: Tensor, mask: Tensor, dim = -1): Tensor {
  return mask.where(values, 0).sum(dim);
}

/** The per-sequence masked mean along `dim` (default the last): Σ m·v / Σ m, 0 where a row has no counted value. */
export function maskedMean(values: Tensor, mask: Tensor, dim = -1): Tensor {
  return maskedSum(values, mask, dim).div(mask.cast(values.dtype).sum(dim).clamp(1));
}

/**
 * The token-level mean over the whole batch: Σ_{b,t} m·v / Σ_{b,t} m (DAPO's token-level aggregation,
 * each token weighted equally whatever its sequence's length); 0 when no token counts.
 */
export function maskedTokenMean(values: Tensor, mask: Tensor): Tensor {
  return mask.where(values, 0).sum().div(mask.cast(values.dtype).sum().clamp(1));
}

/**
 * Length normalisation of per-sequence sums: sum / count^alpha (alpha = 1: the average log-probability,
 * SimPO's |y|; alpha = 0: the plain sum, DPO's). Counts below 1 are taken as 1.
 */
export function lengthNormalize(sum: Tensor, count: Tensor, alpha = 1): Tensor {
  if (alpha === 0) return sum;
  const c = count.clamp(1);
  return sum.div(alpha === 1 ? c : c.pow(alpha));
}
