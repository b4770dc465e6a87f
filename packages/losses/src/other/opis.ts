import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type OpisOptions = OptionsOf<typeof options>;

/**
 * Operating-Point-Inconsistency Score (OPIS): how much the per-class utility curves over a distance-threshold
 * grid differ from their mean curve, i.e. how far one threshold is from suiting every class.
 *
 * OPIS = (1/T) Σᵢ (1/(d_max − d_min)) ∫ (Uᵢ(d) − Ū(d))² dd, Ū the mean over the T classes, the integral by the
 * trapezoid rule on the G grid points (uniform or not). Reading: the utility curves (e.g. F1 from TPR and TNR
 * at each threshold of the calibration range) are the caller's, computed per class on the grid; a grid of one
 * point gives the plain variance there.
 *
 * @param utilities per-class utility curves Uᵢ(d) [T, G]
 * @param thresholds the grid d [G] (ascending)
 * @returns a scalar
 * @see Zhang et al., "Threshold-Consistent Margin Loss for Open-World Deep Metric Learning", ICLR 2024
 */
export function opis(...args: Call<[utilities: Tensor, thresholds: Tensor], OpisOptions>): Tensor {
  const [utilities, thresholds] = entry.check(args);
  const dev = utilities.sub(utilities.mean(0, true)).square().mean(0); // [G]
  const g = thresholds.shape[0];
  if (g < 2) return dev.sum();
  const dx = thresholds.slice(0, 1).sub(thresholds.slice(0, 0, g - 1));
  const area = dev.slice(0, 1).add(dev.slice(0, 0, g - 1)).mul(dx).sum().mul(0.5);
  const span = thresholds.slice(0, g - 1).sub(thresholds.slice(0, 0, 1)).sum();
  const ok = span.gt(0);
  return ok.where(area.div(ok.where(span, 1)), dev.mean());
}

export const entry = defineLoss({
  id: 'opis',
  fn: opis,
  args: [
    { name: 'utilities', shape: ['T', 'G'], dtype: 'float', domain: 'prob' },
    { name: 'thresholds', shape: ['G'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'The per-class utility curves on the threshold grid are inputs; the normalised integral of their variance across classes is taken by the trapezoid rule (a zero-width grid: the mean of the variances).',
});
