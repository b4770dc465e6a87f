import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetLogProbs } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction('none'),
};
export type TabascoWjsdOptions = OptionsOf<typeof options>;

/**
 * TABASCO's weighted Jensen–Shannon divergence: a per-sample score separating clean from mislabelled samples.
 *
 * w₁ = p_y, w₂ = 1 − p_y, m = w₁·p + w₂·onehot(y); WJSDᵢ = w₁·KL(p ‖ m) + w₂·KL(onehot(y) ‖ m). In closed
 * form, with m_k = p_y·p_k for k ≠ y and m_y = p_y² + 1 − p_y: KL(p ‖ m) = −(1 − p_y)·log p_y + p_y·(log p_y −
 * log m_y) and KL(onehot ‖ m) = −log m_y, where log m_y = logaddexp(2 log p_y, log(1 − p_y)) and log p_y,
 * log(1 − p_y) are logsumexp differences (never a logged probability: finite at logits of ±1e4, C ≥ 2).
 * The per-class two-component GMM split that follows (low component = clean) is a host-side step.
 *
 * @param input logits [N, C]
 * @param target observed labels [N] (int32)
 * @returns [N] (reduction 'none', the default), or their sum or mean
 * @see Lu et al., "Label-Noise Learning with Intrinsically Long-Tailed Data", ICCV 2023
 */
export function tabascoWjsd(...args: Call<[input: Tensor, target: Tensor], TabascoWjsdOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const { logp, log1mp } = targetLogProbs(input, target);
  const py = logp.exp();
  const logMy = logp.mul(2).logaddexp(log1mp);
  const klP = py.neg().add(1).mul(logp).neg().add(py.mul(logp.sub(logMy)));
  return applyReduction(py.mul(klP).sub(py.neg().add(1).mul(logMy)), { reduction });
}

export const entry = defineLoss({
  id: 'tabasco-wjsd',
  fn: tabascoWjsd,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'log(1 − p_y) is −∞ for a single class',
  reading: 'Weights w₁ = p_y (the confidence in the observed label) and w₂ = 1 − p_y; the score takes logits (log space) rather than probabilities; the GMM split is left to the caller.',
});
