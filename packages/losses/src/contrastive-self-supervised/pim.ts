import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(1, 'λ: weight of the marginal entropy H(mean p); 1 is the standard mutual information, smaller values weaken the class-balance bias (PIM picks it by a bi-level search on labelled accuracy).', '[0, inf)'),
  ignoreIndex: opt.integer(-1, 'The target value of an unlabelled sample (no cross-entropy term).'),
};
export type PimOptions = OptionsOf<typeof options>;

/**
 * PIM: parametric information maximisation for generalized category discovery.
 *
 * p_i = softmax(z_i); L = −λ·H(mean_i p_i) + mean_i H(p_i) + mean_{labelled i} CE(z_i, y_i), H(p) = −Σ_k p_k log p_k.
 * Stable form: log p from the max-shifted logSoftmax, H(p̄) through xlogy (0·log 0 = 0), so logits of ±1e4 stay
 * finite. The cross-entropy term is 0 when no sample is labelled.
 *
 * @param input logits z [N, C] of labelled and unlabelled samples
 * @param target class indices [N] (int32), `ignoreIndex` (−1) for the unlabelled; absent: all unlabelled
 * @returns a scalar
 * @see Chiaroni et al., "Parametric Information Maximization for Generalized Category Discovery", ICCV 2023
 */
export function pimLoss(...args: Call<[input: Tensor, target?: Tensor], PimOptions>): Tensor {
  const [input, target, { lambda, ignoreIndex }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  const p = logp.exp();
  const condEntropy = p.mul(logp).sum(-1).neg().mean();
  const pBar = p.mean(0);
  const margEntropy = pBar.xlogy(pBar).sum().neg();
  let loss = condEntropy.sub(margEntropy.mul(lambda));
  if (target) {
    const labelled = target.ne(ignoreIndex);
    const safe = labelled.where(target, 0);
    const nll = logp.gather(-1, safe.unsqueeze(-1)).squeeze(-1).neg();
    const count = labelled.cast(input.dtype).sum();
    loss = loss.add(labelled.where(nll, 0).sum().div(count.gt(0).where(count, 1)));
  }
  return loss;
}

export const entry = defineLoss({
  id: 'pim',
  fn: pimLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', optional: true },
  ],
  options,
  output: 'batch',
});
