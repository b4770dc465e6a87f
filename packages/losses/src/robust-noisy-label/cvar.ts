import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cvarSpectrum, sortedRisk } from '../parts/robust-sample-risk.js';

const options = {
  alpha: opt.number(0.1, 'α: the fraction of largest losses kept (1: the mean loss).', '(0, 1]'),
};
export type CvarOptions = OptionsOf<typeof options>;

/**
 * CVaR (superquantile) of the per-sample losses: the mean of the top α-fraction.
 *
 * CVaR_α(l) = min_η η + (1/(αn))·Σᵢ relu(lᵢ − η) = Σᵢ σᵢ·l_(i) over the ascending-sorted losses, with the
 * spectrum σᵢ = 1/(αn) on the top ⌊αn⌋ positions and the fractional remainder (αn − ⌊αn⌋)/(αn) on the next
 * one; when αn is an integer it is the mean of the top αn losses. The gradient reaches only the selected
 * losses (a sort, no kernel that can overflow).
 *
 * @param losses per-sample losses [n]
 * @returns a scalar
 * @see Rockafellar & Uryasev, "Optimization of Conditional Value-at-Risk", J. Risk 2000; Mehta et al.,
 *   "Distributionally Robust Optimization with Bias and Variance Reduction", ICLR 2024
 */
export function cvarLoss(...args: Call<[losses: Tensor], CvarOptions>): Tensor {
  const [losses, { alpha }] = entry.check(args);
  return sortedRisk(losses, cvarSpectrum(losses.shape[0], alpha));
}

export const entry = defineLoss({
  id: 'cvar',
  fn: cvarLoss,
  args: [{ name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
