import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  tau: opt.number(0.7, 'τ ∈ [0, 1]: 0 leaves the weights as they are, 1 normalises them to unit norm.', '[0, 1]'),
};
export type TauNormalizedClassifierOptions = OptionsOf<typeof options>;

/**
 * τ-normalised classifier: logits from classifier weights rescaled by a power of their norms, which evens out the
 * large norms that head classes get under long-tailed training (post hoc, no retraining).
 *
 * w̃_k = w_k/‖w_k‖^τ, z_ik = w̃_k·h_i (bias dropped). A class whose weight is exactly 0 has no direction: its norm's
 * gradient is NaN there, as ‖·‖'s is.
 *
 * @param h features [N, D]
 * @param w classifier weights [K, D], one row per class
 * @param opts tau (default 0.7)
 * @returns logits [N, K] (a transform, not a loss: there is no reduction)
 * @see Kang et al., Decoupling Representation and Classifier for Long-Tailed Recognition, ICLR 2020
 */
export function tauNormalizedClassifier(...args: Call<[h: Tensor, w: Tensor], TauNormalizedClassifierOptions>): Tensor {
  const [h, w, { tau }] = entry.check(args);
  return h.matmul(w.div(w.norm(2, -1, true).pow(tau)).transpose(-2, -1));
}

export const entry = defineLoss({
  id: 'tau-normalized-classifier',
  fn: tauNormalizedClassifier,
  args: [
    { name: 'h', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'w', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
