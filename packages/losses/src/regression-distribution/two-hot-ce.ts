import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { binCentres, softTargetCe, twoHotTarget } from '../parts/regression-bins.js';
import { applyReduction } from '../reduce.js';

const options = {
  vMin: opt.number(-10, 'The first bin centre (the catalog leaves the range to the task; −10 as hl-gauss).'),
  vMax: opt.number(10, 'The last bin centre (default 10); must exceed vMin.'),
  reduction: opt.reduction(),
};
export type TwoHotCeOptions = OptionsOf<typeof options>;

/**
 * Two-hot cross-entropy: the scalar target spread over its two neighbouring bin centres.
 *
 * Centres c_1 < … < c_K uniform on [vMin, vMax]; y clamped to the range lies in [c_l, c_{l+1}]: q_l =
 * (c_{l+1} − y)/(c_{l+1} − c_l), q_{l+1} = 1 − q_l, all other q_k = 0 (so Σ_k q_k·c_k = y); ℓ = −Σ_k q_k·
 * log_softmax(z)_k (max-shifted; q held constant). The prediction is Σ_k softmax(z)_k·c_k.
 *
 * @param input bin logits z [N, K]
 * @param target scalar targets y [N] (no gradient)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Farebrother et al., "Stop Regressing: Training Value Functions via Classification for Scalable Deep RL", ICML 2024, arXiv:2403.03950 (the two-hot baseline of Schrittwieser et al., MuZero, 2020)
 */
export function twoHotCeLoss(...args: Call<[input: Tensor, target: Tensor], TwoHotCeOptions>): Tensor {
  const [input, target, { vMin, vMax, reduction }] = entry.check(args);
  if (!(vMax > vMin)) throw new ArgumentError('twoHotCeLoss', `vMax must exceed vMin, got vMin = ${vMin}, vMax = ${vMax}`);
  const q = twoHotTarget(target, binCentres(input, input.shape[1], vMin, vMax));
  return applyReduction(softTargetCe(input, q), { reduction });
}

export const entry = defineLoss({
  id: 'two-hot-ce',
  fn: twoHotCeLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
