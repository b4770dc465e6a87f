import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  negThreshold: opt.number(0.3, 'Unannotated labels scoring σ(z) below it become pseudo-negatives (many: a loose threshold); the abstract gives none.', '[0, 1]'),
  posThreshold: opt.number(0.95, 'Unannotated labels scoring σ(z) above it become pseudo-positives (few: a strict threshold); the abstract gives none.', '[0, 1]'),
  alpha: opt.number(0.1, 'α of the entropy-maximisation term on the labels left unknown (spml-em-loss).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SpmlAsymmetricPseudoLabelOptions = OptionsOf<typeof options>;

/**
 * Asymmetric pseudo-labelling (APL) for single-positive multi-label learning: confident unannotated
 * labels become pseudo-labels, asymmetrically (many pseudo-negatives, few pseudo-positives), the rest keep
 * the entropy-maximisation loss.
 *
 * q = σ(z); for an unannotated label, ψ = 0 if sg(q) < θ⁻, ψ = 1 if sg(q) > θ⁺, unknown otherwise;
 * ℓᵢ = (1/C)·Σ_c [s_c·(−log q_c) + pseudo-negatives·(−log(1 − q_c)) + pseudo-positives·(−log q_c) −
 * α·unknown·H(q_c)], log q = log σ(z), log(1 − q) = log σ(−z). The selection uses the detached scores
 * (self-paced: re-selected every call).
 *
 * @param input logits [N, C]
 * @param observed observed-positive mask s [N, C] in {0, 1}
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhou et al., "Acknowledging the Unknown for Multi-label Learning with Single Positive Labels", ECCV 2022
 */
export function spmlAsymmetricPseudoLabel(...args: Call<[input: Tensor, observed: Tensor], SpmlAsymmetricPseudoLabelOptions>): Tensor {
  const [input, observed, { negThreshold, posThreshold, alpha, reduction }] = entry.check(args);
  const s = observed.cast(input.dtype);
  const unannotated = s.neg().add(1);
  const q = input.sigmoid();
  const qs = q.detach();
  const pseudoNeg = unannotated.mul(qs.lt(negThreshold).cast(input.dtype));
  const pseudoPos = unannotated.mul(qs.gt(posThreshold).cast(input.dtype)).mul(qs.ge(negThreshold).cast(input.dtype));
  const unknown = unannotated.sub(pseudoNeg).sub(pseudoPos);
  const logQ = input.logSigmoid();
  const log1mQ = input.neg().logSigmoid();
  const entropy = q.mul(logQ).add(q.neg().add(1).mul(log1mQ)).neg();
  const values = s.add(pseudoPos).mul(logQ).add(pseudoNeg.mul(log1mQ)).neg().sub(unknown.mul(entropy).mul(alpha)).mean(-1);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'spml-asymmetric-pseudo-label',
  fn: spmlAsymmetricPseudoLabel,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'observed', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
  reading: 'score thresholds on the detached sigmoid of each unannotated label: below θ⁻ = 0.3 a pseudo-negative (BCE), above θ⁺ = 0.95 a pseudo-positive (BCE), otherwise the EM term (α = 0.1); the paper\'s schedule is not in the abstract, so the thresholds are fixed options.',
});
