import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { crossEntropy } from './cross-entropy.js';

const options = {
  n: opt.number(null, 'The harmonic exponent n (default √D, D the feature dimension).', '(0, inf)'),
  eps: opt.number(1e-8, 'Added to the squared distance before the log.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type HarmonicLossOptions = OptionsOf<typeof options>;

/**
 * Harmonic loss: cross-entropy of the harmonic max over Euclidean distances to class centres.
 *
 * d_ik = ‖xᵢ − w_k‖, p_ik = d_ik^{−n} / Σ_j d_ij^{−n} = softmax_k(−n·log d_ik), ℓᵢ = −log p_iy. Stable form:
 * log d = ½·log(‖x − w‖² + ε) from the direct [N, C, D] differences (the expansion ‖x‖² + ‖w‖² − 2x·w loses the
 * gradient's precision near a centre), then a max-shifted logSoftmax of −n·log d.
 *
 * Reading: The harmonic exponent has no fixed default: n = √D (D the feature dimension) when not given,
 * following the catalog note that n should grow roughly like √D (not checked against the paper body).
 *
 * @param input features x [N, D]
 * @param target class indices [N] (int32)
 * @param centres class centres W [C, D] (the layer that replaces the linear head / unembedding)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Baek, Liu, Tyagi & Tegmark, "Harmonic Loss Trains Interpretable AI Models", 2025
 */
export function harmonicLoss(...args: Call<[input: Tensor, target: Tensor, centres: Tensor], HarmonicLossOptions>): Tensor {
  const [input, target, centres, { n, eps, reduction }] = entry.check(args);
  const exponent = n ?? Math.sqrt(input.shape[1]);
  // ‖xᵢ − w_c‖² from the direct differences [N, C, D]: the expansion ‖x‖² + ‖w‖² − 2x·w cancels catastrophically
  // (and loses ~1e-6 of the gradient) when a sample sits near a centre.
  const sq = input.unsqueeze(1).sub(centres.unsqueeze(0)).square().sum(-1);
  const logDist = sq.add(eps).log().mul(0.5);
  return applyReduction(crossEntropy(logDist.mul(-exponent), target, { reduction: 'none' }), { reduction });
}

export const entry = defineLoss({
  id: 'harmonic-loss',
  fn: harmonicLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'centres', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The harmonic exponent has no fixed default: n = √D (D the feature dimension) when not given, following the catalog note that n should grow roughly like √D (not checked against the paper body).',
});
