import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature of the cosine logits (the authors\' temperature 0.1, scale s = 1/τ).', '(0, inf)'),
};
export type HydraGatedContrastiveOptions = OptionsOf<typeof options>;

/**
 * Hydra (SimLAP): contrastive learning with arbitrary cross-class positive pairs, each pair compared only on the
 * feature dimensions its class pair's gate selects.
 *
 * Anchor i (class yᵢ) is paired with a partner class y′ᵢ; its gate gᵢ = σ(Gᵢ) ∈ (0, 1)^D. Both the anchor and every
 * sample n are gated by gᵢ and normalised: uᵢ = ĝᵢ⊙zᵢ, v_in = ĝᵢ⊙z_n (ĝ: unit norm after gating), S_in = uᵢ·v_in/τ.
 * Positives P(i) = {n : y_n = y′ᵢ}; negatives N(i) = {n : y_n ∉ {yᵢ, y′ᵢ}}. Each positive pair has its own
 * denominator, the positive itself plus the anchor's negatives:
 *   L = Σᵢ Σ_{p ∈ P(i)} [log(e^{S_ip} + Σ_{n ∈ N(i)} e^{S_in}) − S_ip] / Σᵢ |P(i)|
 * Stable form: log(e^a + e^b) − a = softplus(b − a) with b = logsumexp over N(i) (−∞ entries masked; a term with no
 * negative is 0). No positive in the batch gives 0. Follows the authors' code, erow/vitookit (SimLAP
 * `disparate_loss` with `multipos_ce_loss`, `apply_gate`).
 *
 * @param input embeddings z [N, D]
 * @param labels class labels y [N] (int32)
 * @param partners the partner class y′ᵢ of each anchor [N] (int32): yᵢ itself, a random other class, or a shuffled label
 * @param gates the gate logits Gᵢ = G(yᵢ, y′ᵢ) [N, D] (a row of a learnable table G[C, C, D], or the authors' label MLP)
 * @returns a scalar
 * @see Wu et al., "Rethinking Positive Pairs in Contrastive Learning", arXiv:2410.18200, 2024
 */
export function hydraGatedContrastive(...args: Call<[input: Tensor, labels: Tensor, partners: Tensor, gates: Tensor], HydraGatedContrastiveOptions>): Tensor {
  const [z, labels, partners, gates, { tau }] = entry.check(args);
  const g = gates.sigmoid();
  const u = l2Normalize(z.mul(g)); // [N, D]
  const v = l2Normalize(z.unsqueeze(0).mul(g.unsqueeze(1))); // [N (anchor), N (sample), D]
  const logits = u.unsqueeze(1).mul(v).sum(-1).div(tau); // [N, N]
  const ys = labels.unsqueeze(0);
  const pos = partners.unsqueeze(1).eq(ys);
  const neg = labels.unsqueeze(1).ne(ys).logicalAnd(partners.unsqueeze(1).ne(ys));
  const hasNeg = neg.any(1, true);
  // A row without negatives: finite dummies whose softplus is discarded (the pair's term is log e^{S} − S = 0).
  const lseNeg = hasNeg.where(logits.maskedFill(neg.logicalNot(), -Infinity), 0).logsumexp(1, true);
  const terms = hasNeg.where(lseNeg.sub(logits).softplus(), 0);
  const count = pos.cast(z.dtype).sum();
  return pos.where(terms, 0).sum().div(count.gt(0).where(count, 1));
}

export const entry = defineLoss({
  id: 'hydra-gated-contrastive',
  fn: hydraGatedContrastive,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'partners', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'gates', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading:
    "The authors' released SimLAP loss (erow/vitookit): per anchor a sigmoid gate over feature dimensions for its (class, partner class) pair, " +
    'gated-and-normalised cosine logits, positives = samples of the partner class, negatives = samples of neither class, one denominator per ' +
    'positive pair; the partner classes and the gate logits (the authors\' label-embedding MLP, or a table G[C, C, D]) are arguments.',
});
