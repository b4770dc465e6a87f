/**
 * The InfoNCE form of InfoPrompt's two mutual-information losses: each row has one positive score and its own
 * negative scores, and the row's loss is the negative log-probability of the positive, put first,
 *
 *   ℓᵢ = −log( e^{s⁺ᵢ} / (e^{s⁺ᵢ} + Σ_k e^{s⁻ᵢₖ}) ) = logsumexp(s⁺ᵢ, s⁻ᵢ·) − s⁺ᵢ.
 *
 * Stable form: a max-shifted logSoftmax over [s⁺ᵢ, s⁻ᵢ·]; negatives outside `valid` are set to −∞ first, so they
 * take no probability and no gradient (a row with no valid negative gives 0).
 */
import { concat, type Tensor } from '@graft/core';

/** ℓ [N] from the positive scores s⁺ [N] and the negative scores s⁻ [N, K] (`valid`: bool [N, K], null = all). */
export function firstPositiveNce(positive: Tensor, negatives: Tensor, valid: Tensor | null = null): Tensor {
  const neg = valid ? negatives.maskedFill(valid.logicalNot(), -Infinity) : negatives;
  return concat([positive.unsqueeze(-1), neg], -1).logSoftmax(-1).narrow(-1, 0, 1).squeeze(-1).neg();
}
