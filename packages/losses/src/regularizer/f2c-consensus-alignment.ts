import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  eps: opt.number(1e-8, 'Floor of each representation norm in the cosine (PyTorch\'s cosine_similarity eps).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type F2cConsensusAlignmentOptions = OptionsOf<typeof options>;

/**
 * Flip-Flop Consistency's representation alignment: the representations of low-confidence and non-majority prompt
 * variants are pulled toward the consensus representation of the high-confidence, majority-voting variants.
 *
 * ŷ = majority vote of the variants' argmax (ties: the lowest class, as f2c-consensus-ce); confidence c_v =
 * softmax(z_v)_ŷ; anchors A = the variants voting ŷ with c_v ≥ the mean confidence of the variants voting ŷ (never
 * empty); consensus r̄ = mean_{v∈A} r_v (no gradient); ℓ = mean_{v∉A} (1 − cos(r_v, r̄)), 0 when every variant is an
 * anchor. Votes and confidences carry no gradient: the loss moves representations only.
 *
 * @param input representations of the V variants of each input [N, V, D]
 * @param logits the variants' logits [N, V, C] (for the vote and the confidences)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hejabi et al., "Flip-Flop Consistency: Unsupervised Training for Robustness to Prompt Perturbations in LLMs", 2025
 */
export function f2cConsensusAlignment(...args: Call<[input: Tensor, logits: Tensor], F2cConsensusAlignmentOptions>): Tensor {
  const [reps, logitsRaw, { eps, reduction }] = entry.check(args);
  const logits = logitsRaw.detach();
  const [n, v, c] = logits.shape;
  const vote = logits.argmax(-1); // [N, V]
  const consensus = vote.oneHot(c).sum(1).argmax(-1, true); // [N, 1], first maximum
  const majority = vote.eq(consensus).cast(reps.dtype); // [N, V]
  const conf = logits.logSoftmax(-1).gather(-1, consensus.unsqueeze(-1).expand([n, v, 1])).squeeze(-1).exp();
  const meanConf = conf.mul(majority).sum(-1, true).div(majority.sum(-1, true));
  const anchor = majority.mul(conf.ge(meanConf).cast(reps.dtype)); // [N, V], at least the most confident majority voter
  const centre = reps.detach().mul(anchor.unsqueeze(-1)).sum(1, true).div(anchor.sum(-1, true).unsqueeze(-1)); // [N, 1, D]
  const unit = (t: Tensor) => t.div(t.square().sum(-1, true).clamp(eps * eps).sqrt());
  const cos = unit(reps).mul(unit(centre)).sum(-1); // [N, V]
  const others = anchor.neg().add(1);
  return applyReduction(cos.neg().add(1).mul(others).sum(-1).div(others.sum(-1).clamp(1)), { reduction });
}

export const entry = defineLoss({
  id: 'f2c-consensus-alignment',
  fn: f2cConsensusAlignment,
  args: [
    { name: 'input', shape: ['N', 'V', 'D'], dtype: 'float', domain: 'real' },
    { name: 'logits', shape: ['N', 'V', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  surrogateGradient: "the consensus representation is detached, as the paper's anchor is",
  output: 'per-sample',
  reading: 'Anchors = majority voters with confidence p_v(ŷ) at least the majority\'s mean; consensus = their mean representation (detached); loss = mean over the other variants of 1 − cosine to it (the abstract fixes neither the distance nor the weighting).',
});
