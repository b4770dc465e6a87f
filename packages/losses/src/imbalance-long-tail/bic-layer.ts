import type { Tensor } from '@graft/core';
import { concat } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  numOld: opt.integer(0, 'How many leading classes are old (left unchanged); the rest are new. 0: every class is corrected.', '[0, inf)'),
  alpha: opt.number(1, 'α when no alpha tensor is passed (the layer\'s initial value).'),
  beta: opt.number(0, 'β when no beta tensor is passed (the layer\'s initial value).'),
};
export type BicLayerOptions = OptionsOf<typeof options>;

/**
 * Bias-correction (BiC) layer: an affine correction of the new classes' logits.
 *
 * q_k = z_k for the old classes k < numOld; q_k = α·z_k + β for the new ones. In BiC's stage 2 the
 * network is frozen and only (α, β) are trained with cross-entropy of q on a small validation split
 * balanced between old and new classes: pass α and β as scalar tensors with requiresGrad.
 *
 * @param input logits [N, C] (old classes first)
 * @param alpha the learnable scale α (a scalar tensor; optional)
 * @param beta the learnable shift β (a scalar tensor; optional)
 * @returns the corrected logits [N, C]
 * @see Wu et al., "Large Scale Incremental Learning", CVPR 2019
 */
export function bicLayer(...args: Call<[input: Tensor, alpha?: Tensor, beta?: Tensor], BicLayerOptions>): Tensor {
  const [input, alphaT, betaT, { numOld, alpha, beta }] = entry.check(args);
  const c = input.shape[1];
  const k = Math.min(numOld, c);
  const fresh = input.narrow(1, k, c - k);
  const corrected = (alphaT ? fresh.mul(alphaT) : fresh.mul(alpha)).add(betaT ?? beta);
  return k === 0 ? corrected : concat([input.narrow(1, 0, k), corrected], 1);
}

export const entry = defineLoss({
  id: 'bic-layer',
  fn: bicLayer,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'alpha', shape: [], dtype: 'float', domain: 'real', optional: true },
    { name: 'beta', shape: [], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'same-as-input',
});
