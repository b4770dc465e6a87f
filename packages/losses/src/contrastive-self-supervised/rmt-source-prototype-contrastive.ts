import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { rowCrossEntropy } from '../parts/contrastive-infonce.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature; not in the catalog, 0.1 is the value of RMT\'s released contrastive loss.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type RmtSourcePrototypeContrastiveOptions = OptionsOf<typeof options>;

/**
 * RMT's source-prototype contrast: pull each test feature toward the source prototype of its pseudo-class,
 * against the other prototypes.
 *
 * ℓᵢ = −log(e^{cos(f_i, c_ŷi)/τ} / Σ_k e^{cos(f_i, c_k)/τ}), plus the same term for the augmented view's feature
 * when given. Stable form: max-shifted logSoftmax over the C prototypes. The source prototypes are fixed (computed
 * once on source data): detached inside the loss.
 *
 * @param input test features f [N, D]
 * @param prototypes source class prototypes c [C, D] (no gradient reaches them)
 * @param target pseudo-labels ŷ [N] (int32)
 * @param augmented features of the augmented views [N, D] (optional: a second positive term)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Döbler et al., "Robust Mean Teacher for Continual and Gradual Test-Time Adaptation", CVPR 2023
 */
export function rmtSourcePrototypeContrastiveLoss(...args: Call<[input: Tensor, prototypes: Tensor, target: Tensor, augmented?: Tensor], RmtSourcePrototypeContrastiveOptions>): Tensor {
  const [input, prototypes, target, augmented, { tau, reduction }] = entry.check(args);
  const term = (f: Tensor) => rowCrossEntropy(cosineSimilarityMatrix(f, prototypes.detach()).div(tau), target);
  return applyReduction(augmented ? term(input).add(term(augmented)) : term(input), { reduction });
}

export const entry = defineLoss({
  id: 'rmt-source-prototype-contrastive',
  fn: rmtSourcePrototypeContrastiveLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'prototypes', shape: ['C', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'augmented', shape: ['N', 'D'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The catalog\'s reading: InfoNCE over the C source prototypes with the pseudo-class prototype as the positive (and the augmented view as a second anchor, summed); RMT\'s released code instead treats the nearest prototype as one more view in a SimCLR batch.',
});
