import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type CcsProbeOptions = OptionsOf<typeof options>;

/**
 * Contrast-Consistent Search (CCS) probe loss: a linear probe's probabilities on a statement and on its
 * negation should be consistent (sum to 1) and confident (not both ½).
 *
 * p± = σ(w·h(x±) + b); ℓ = (p₊ − (1 − p₋))² + min(p₊, p₋)². Stable form: σ of the probe's score, bounded, so
 * any hidden state gives a finite value and gradient. The hidden states are normalised by the caller (the
 * CCS recipe: each of h(x+), h(x−) centred over the dataset and scaled).
 *
 * @param hPos hidden states of the statements [N, D]
 * @param hNeg hidden states of their negations [N, D]
 * @param weight the probe's direction w [D]
 * @param bias the probe's offset b [] (optional, 0)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Burns et al., "Discovering Latent Knowledge in Language Models Without Supervision", ICLR 2023 (the
 *   probe loss of "Polarity-Aware Probing for Quantifying Latent Alignment in Language Models")
 */
export function ccsProbeLoss(...args: Call<[hPos: Tensor, hNeg: Tensor, weight: Tensor, bias?: Tensor], CcsProbeOptions>): Tensor {
  const [hPos, hNeg, weight, bias, { reduction }] = entry.check(args);
  const score = (h: Tensor) => { const s = h.matmul(weight); return bias ? s.add(bias) : s; };
  const pPos = score(hPos).sigmoid();
  const pNeg = score(hNeg).sigmoid();
  const consistency = pPos.sub(pNeg.neg().add(1)).square();
  const confidence = pPos.minimum(pNeg).square();
  return applyReduction(consistency.add(confidence), { reduction });
}

export const entry = defineLoss({
  id: 'ccs-probe-loss',
  fn: ccsProbeLoss,
  args: [
    { name: 'hPos', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'hNeg', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['D'], dtype: 'float', domain: 'real' },
    { name: 'bias', shape: [], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
});
