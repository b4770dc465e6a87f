import type { Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(0.01, 'λ: weight of the logit penalty (λ/2)‖z − γ‖² (1e-3 to 1e-1, tuned).', '[0, inf)'),
  gamma: opt.numberOrTensor(0, ['C'], 'γ: the logits\' offset, one number or per class [C] (the class-shifted variant).'),
  reduction: opt.reduction(),
};
export type SpectralDecouplingOptions = OptionsOf<typeof options>;

/**
 * Spectral decoupling: cross-entropy plus an L2 penalty on the logits (instead of on the weights),
 * which decouples the features' learning dynamics and counters gradient starvation.
 *
 * ℓᵢ = CE(zᵢ, yᵢ) + (λ/2)·‖zᵢ − γ‖², with γ = 0 (plain) or per-class offsets (the shifted variant). CE is the
 * max-shifted logsumexp form; the penalty is a polynomial, finite at logits of ±1e4.
 *
 * @param logits logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Pezeshki et al., "Gradient Starvation: A Learning Proclivity in Neural Networks", NeurIPS 2021
 */
export function spectralDecoupling(...args: Call<[logits: Tensor, target: Tensor], SpectralDecouplingOptions>): Tensor {
  const [logits, target, { lambda, gamma, reduction }] = entry.check(args);
  const penalty = logits.sub(gamma).square().sum(-1).mul(lambda / 2);
  return applyReduction(crossEntropy(logits, target, { reduction: 'none' }).add(penalty), { reduction });
}

export const entry = defineLoss({
  id: 'spectral-decoupling',
  fn: spectralDecoupling,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
