import { full, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { rowCrossEntropy } from '../parts/contrastive-infonce.js';

const options = {
  reduction: opt.reduction(),
};
export type DslaGraphDiscriminationOptions = OptionsOf<typeof options>;

/**
 * D-SLA graph discrimination: tell the original graph from its M perturbed versions.
 *
 * ℓ_b = CE(s_b, 0) = logsumexp_k s_bk − s_b0 over the scores of the original (index 0) and the M perturbed graphs
 * (the score is an MLP on the pooled graph embedding, outside the loss). Stable form: max-shifted logSoftmax.
 * M, the number of perturbations (the catalog leaves it open), is the scores' width minus one.
 *
 * @param input scores s [N, M + 1], the original graph's in column 0
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kim et al., "Graph Self-supervised Learning with Accurate Discrepancy Learning", NeurIPS 2022
 */
export function dslaGraphDiscriminationLoss(...args: Call<[input: Tensor], DslaGraphDiscriminationOptions>): Tensor {
  const [input, { reduction }] = entry.check(args);
  return applyReduction(rowCrossEntropy(input, full([input.shape[0]], 0, { dtype: 'int32', backend: input.backendName })), { reduction });
}

export const entry = defineLoss({
  id: 'dsla-graph-discrimination',
  fn: dslaGraphDiscriminationLoss,
  args: [{ name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
});
