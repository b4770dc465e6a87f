import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { confidence } from '../parts/confidence.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction('none'),
};
export type MspScoreOptions = OptionsOf<typeof options>;

/**
 * Maximum softmax probability (MSP): the baseline confidence score for misclassified and
 * out-of-distribution inputs (a low score flags a suspect input).
 *
 * scoreᵢ = max_k softmax(zᵢ)_k = exp(max_k zᵢₖ − logsumexp(zᵢ)), in log space (no probability is
 * formed before the max), so logits of ±1e4 give exactly 1 or 1/#ties. A metric, not a loss.
 *
 * @param logits [N, C]
 * @returns [N] with reduction 'none' (the default); a scalar with 'mean' or 'sum'
 * @see Hendrycks & Gimpel, "A Baseline for Detecting Misclassified and Out-of-Distribution Examples in Neural Networks", ICLR 2017
 */
export function mspScore(...args: Call<[logits: Tensor], MspScoreOptions>): Tensor {
  const [logits, { reduction }] = entry.check(args);
  return applyReduction(confidence(logits, -1), { reduction });
}

export const entry = defineLoss({
  id: 'msp-score',
  fn: mspScore,
  args: [{ name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
});
