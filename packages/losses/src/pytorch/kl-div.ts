import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.oneOf(['mean', 'sum', 'none', 'batchmean'], 'mean', "'batchmean' divides the sum by the batch size N (the true KL divergence); 'mean' by the element count, as PyTorch."),
  logTarget: opt.boolean(false, 'The target is given as log-probabilities.'),
};
export type KlDivOptions = OptionsOf<typeof options>;

/** t·log t with 0·log 0 = 0; log sees 1 where t ≤ 0, so no NaN reaches the gradient. */
const xlogx = (t: Tensor): Tensor => {
  const pos = t.gt(0);
  return pos.where(t.mul(pos.where(t, 1).log()), 0);
};

/**
 * Pointwise Kullback–Leibler divergence, PyTorch's `F.kl_div`.
 *
 * ℓ = y·(log y − x) with 0·log 0 = 0 (PyTorch's xlogy), or e^{y}·(y − x) with logTarget, where x
 * are log-probabilities (log q) and y the target p: Σ ℓ = KL(p ‖ q). At y = 0 the gradient with
 * respect to the target is −x here (PyTorch's xlogy backward gives NaN there).
 *
 * @param input log-probabilities x [N, ...]
 * @param target probabilities y (log-probabilities with logTarget) [N, ...]
 * @returns a scalar ('mean', 'sum', 'batchmean'), or the elementwise terms [N, ...] with 'none'
 * @see Kullback & Leibler, "On Information and Sufficiency", Annals of Mathematical Statistics 1951
 */
export function klDiv(...args: Call<[input: Tensor, target: Tensor], KlDivOptions>): Tensor {
  const [input, target, { reduction, logTarget }] = entry.check(args);
  const values = logTarget ? target.exp().mul(target.sub(input)) : xlogx(target).sub(target.mul(input));
  if (reduction === 'batchmean') return applyReduction(values, { reduction: 'mean', meanOver: input.ndim ? input.shape[0] : 1 });
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'kl-div',
  aliases: ['kl-divergence'],
  fn: klDiv,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'log-prob' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'simplex' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Kullback-Leibler divergence loss', category: 'pytorch', papers: [] },
});
