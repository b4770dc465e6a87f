import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { checkPositive } from '../parts/class-stats.js';

const options = {
  strataPriors: opt.tensor(['S'], 'P(s) [S] (> 0, renormalised); absent: uniform over the strata.'),
};
export type BackdoorAdjustedPredictionOptions = OptionsOf<typeof options>;

/**
 * Backdoor-adjusted prediction: the interventional posterior averaged over confounder strata.
 *
 * p(y | do(x)) = Σ_s P(s)·softmax(z^{(s)})_y, computed as exp(logsumexp_s(log P(s) + log_softmax(z^{(s)}))).
 * Each stratum's head is trained with cross-entropy plus a re-balancing loss (logit-adjusted-loss); how
 * the strata are formed is the caller's.
 *
 * @param input per-stratum logits z [S, N, C]
 * @returns probabilities [N, C]
 * @see Chen et al., "Rethinking the Bias of Foundation Model under Long-tailed Distribution", 2025
 */
export function backdoorAdjustedPrediction(...args: Call<[input: Tensor], BackdoorAdjustedPredictionOptions>): Tensor {
  const [input, { strataPriors }] = entry.check(args);
  const s = input.shape[0];
  let logP = input.newFull([s], -Math.log(s));
  if (strataPriors) {
    checkPositive('backdoorAdjustedPrediction', 'strataPriors', strataPriors);
    const p = strataPriors.detach().cast(input.dtype);
    logP = p.log().sub(p.sum().log());
  }
  return input.logSoftmax(-1).add(logP.reshape([s, 1, 1])).logsumexp(0).exp();
}

export const entry = defineLoss({
  id: 'backdoor-adjusted-prediction',
  fn: backdoorAdjustedPrediction,
  args: [{ name: 'input', shape: ['S', 'N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
  batchDim: 1,
  reading: 'a P(s)-weighted average of the per-stratum softmaxes (the backdoor adjustment over given strata); forming the strata ("incomplete semantic factors") is left to the caller.',
});
