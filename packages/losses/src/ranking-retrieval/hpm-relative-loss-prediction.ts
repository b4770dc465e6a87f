import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { type OptionsOf } from '../options.js';

const options = {};
export type HpmRelativeOptions = OptionsOf<typeof options>;

/**
 * HPM relative loss-prediction objective: the auxiliary head learns the order of the per-patch reconstruction
 * losses, not their values.
 *
 * For all ordered pairs (a, b) of patches of an image: pos_ab = 1[l_b > l_a], neg_ab = 1[l_b < l_a],
 * d_ab = s_b − s_a; ℓ = Σ(−pos·log σ(d) − neg·log(1 − σ(d)))/Σ(pos + neg) over the batch (ties excluded).
 * log σ and log(1 − σ) are logSigmoid(±d) (the code adds 1e-6 inside the logs instead); the true losses are
 * held constant.
 *
 * @param input predicted per-patch losses s [B, L]
 * @param target true per-patch reconstruction losses l [B, L] (no gradient)
 * @returns a scalar (0 when every pair ties)
 * @see Wang et al., "Hard Patches Mining for Masked Image Modeling", CVPR 2023 (HPM code, forward_learning_loss, relative=True)
 */
export function hpmRelativeLossPrediction(...args: Call<[input: Tensor, target: Tensor], HpmRelativeOptions>): Tensor {
  const [s, l, _] = entry.check(args);
  void _;
  const t = l.detach();
  const pos = t.unsqueeze(-2).gt(t.unsqueeze(-1)).cast(s.dtype); // [B, a, b]: l_b > l_a
  const neg = t.unsqueeze(-2).lt(t.unsqueeze(-1)).cast(s.dtype);
  const d = s.unsqueeze(-2).sub(s.unsqueeze(-1));
  const total = pos.mul(d.logSigmoid()).add(neg.mul(d.neg().logSigmoid())).neg().sum();
  return total.div(pos.add(neg).sum().clamp(1));
}

export const entry = defineLoss({
  id: 'hpm-relative-loss-prediction',
  fn: hpmRelativeLossPrediction,
  args: [
    { name: 'input', shape: ['B', 'K'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['B', 'K'], dtype: 'float', domain: 'nonneg', stopGradient: true },
  ],
  options,
  output: 'batch',
});
