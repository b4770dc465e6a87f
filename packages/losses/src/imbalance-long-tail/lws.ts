import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type LwsOptions = OptionsOf<typeof options>;

/**
 * Learnable weight scaling (LWS): a frozen linear classifier whose class logits are rescaled by learned f_k.
 *
 * z_k = f_k·(w_k · h). In decoupled training's stage 2 only f (initialised to 1) is trained, with
 * cross-entropy under class-balanced sampling; W and the features stay fixed (pass them detached).
 *
 * @param features h [N, D]
 * @param weight classifier rows W [C, D]
 * @param scales f [C] (learnable, initialised to ones)
 * @returns logits [N, C]
 * @see Kang et al., "Decoupling Representation and Classifier for Long-Tailed Recognition", ICLR 2020
 */
export function lws(...args: Call<[features: Tensor, weight: Tensor, scales: Tensor], LwsOptions>): Tensor {
  const [features, weight, scales] = entry.check(args);
  return features.matmul(weight.transpose(0, 1)).mul(scales);
}

export const entry = defineLoss({
  id: 'lws',
  fn: lws,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'scales', shape: ['C'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
});
