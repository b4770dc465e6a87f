import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { safeSqrt } from '../parts/distances.js';

const options = {
  reduction: opt.reduction('sum'),
};
export type GradientMatchingDcOptions = OptionsOf<typeof options>;

/**
 * Gradient-matching distance of dataset condensation (DC), for one layer: the synthetic set's gradient should
 * point the way the real data's does, output unit by output unit.
 *
 * Each layer gradient is reshaped to rows of its output units, [O, rest] (a conv weight [O, I, h, w] → [O,
 * I·h·w]); d = Σ_o (1 − ⟨g^S_o, g^T_o⟩ / (‖g^S_o‖·‖g^T_o‖ + 10⁻⁶)), the authors' `distance_wb` (the 10⁻⁶ keeps a
 * zero gradient finite). One-dimensional gradients (biases, norm layers) contribute 0 in their code: leave
 * those layers out (this entry takes the gradients of rank ≥ 2).
 * Wiring: for each class c, gS = grad(CE(net(S_c), c), params, {createGraph: true}) and gT = grad(CE(net(T_c),
 * c), params) detached; sum this entry over classes and layers, then backward reaches S through the
 * double backward. DCC's contrastive variant (id 'dcc-contrastive-gradient-matching') is the same distance on
 * the gradients of the loss summed over all classes at once, so it reaches this entry.
 *
 * @param gSyn the layer's gradient on the synthetic batch [O, I, ...]
 * @param gReal the layer's gradient on the real batch [O, I, ...]
 * @returns a scalar (the sum over output units, as DC), or [O] with reduction 'none'
 * @see Zhao, Mopuri & Bilen, "Dataset Condensation with Gradient Matching", ICLR 2021; Lee et al., "Dataset
 *   Condensation with Contrastive Signals", ICML 2022
 */
export function gradientMatchingDc(...args: Call<[gSyn: Tensor, gReal: Tensor], GradientMatchingDcOptions>): Tensor {
  const [gSyn, gReal, { reduction }] = entry.check(args);
  const o = gSyn.shape[0];
  const [s, r] = [gSyn.reshape([o, -1]), gReal.reshape([o, -1])];
  // Norms through safeSqrt: a dead unit's zero gradient row has norm 0 with gradient 0 (torch.norm's subgradient).
  const cos = s.mul(r).sum(-1).div(safeSqrt(s.square().sum(-1)).mul(safeSqrt(r.square().sum(-1))).add(1e-6));
  return applyReduction(cos.neg().add(1), { reduction });
}

export const entry = defineLoss({
  id: 'gradient-matching-dc',
  fn: gradientMatchingDc,
  aliases: ['dcc-contrastive-gradient-matching'],
  args: [
    { name: 'gSyn', shape: ['N', 'I', '...'], dtype: 'float', domain: 'real' },
    { name: 'gReal', shape: ['N', 'I', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
