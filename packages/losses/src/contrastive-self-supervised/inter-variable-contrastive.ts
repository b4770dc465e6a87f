import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { supervisedContrast, validMeanDenominator } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature; not in the catalog, SupCon\'s 0.1 is the default.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type InterVariableContrastiveOptions = OptionsOf<typeof options>;

/**
 * CoCo-MILP's inter-variable contrast: SupCon over the variables of one MILP instance, with each variable's 0/1
 * solution value as its class, separating the embeddings of variables set to 1 from those set to 0.
 *
 * z = l2_normalize(h), S = z zᵀ/τ; ℓ_v = −mean_{u ≠ v, x_u = x_v} (S_vu − logsumexp_{a ≠ v} S_va); L = mean over
 * variables with a positive (the InfoNCE core, diagonal −∞, max-shifted). Used beside BCE on the predictions.
 *
 * @param input GNN variable embeddings h [V, D]
 * @param target solution values x [V] (0 or 1)
 * @returns a scalar, or [V] with reduction 'none' (0 at a variable without a positive)
 * @see "CoCo-MILP: Inter-Variable Contrastive and Intra-Constraint Competitive MILP Solution Prediction", 2025
 */
export function interVariableContrastiveLoss(...args: Call<[input: Tensor, target: Tensor], InterVariableContrastiveOptions>): Tensor {
  const [input, target, { tau, reduction }] = entry.check(args);
  const { values, valid } = supervisedContrast(l2Normalize(input), target, tau);
  return applyReduction(values, { reduction, meanOver: validMeanDenominator(valid, input) });
}

export const entry = defineLoss({
  id: 'inter-variable-contrastive',
  fn: interVariableContrastiveLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' averages over the variables that have a positive, as SupCon does.",
  reading: 'SupCon (L_out) over one instance\'s variables with the binary solution value as the label; the abstract gives the intent (a margin between 1- and 0-valued variables), not the form.',
});
