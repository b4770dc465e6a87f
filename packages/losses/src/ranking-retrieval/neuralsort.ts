import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { neuralSort, sinkhorn, validMask } from '../parts/ranking-sort.js';

const options = {
  tau: opt.number(1, 'τ: temperature (→ 0: the permutation matrix of the descending sort).', '(0, inf)'),
  sinkhornIters: opt.integer(50, 'Rounds of Sinkhorn scaling to a doubly stochastic matrix (0: plain NeuralSort, rows only).', '[0, inf)'),
};
export type NeuralsortOptions = OptionsOf<typeof options>;

/**
 * NeuralSort: a row-stochastic relaxation of the permutation that sorts each list descending, optionally
 * Sinkhorn-scaled to a doubly stochastic matrix (as NeuralNDCG uses it).
 *
 * With A_jk = |s_j − s_k| over the list's n′ valid items, row i (1-based rank) of P̂ is
 * softmax_j(((n′ + 1 − 2i)·s_j − (A·1)_j)/τ) (max-shifted); rows beyond n′ and padded columns are 0, so lists of
 * unequal length share one padded batch. Sinkhorn alternates row and column normalisation (denominators ≥ 1e-10).
 *
 * @param input scores [B, n]
 * @param mask optional validity mask [B, n] (1 = item, 0 = padding)
 * @returns P̂ [B, n, n] (rows: ranks, columns: items)
 * @see Grover et al., "Stochastic Optimization of Sorting Networks via Continuous Relaxations", ICLR 2019;
 *   Pobrotyn & Białobrzeski, "NeuralNDCG", 2021
 */
export function neuralsort(...args: Call<[input: Tensor, mask?: Tensor], NeuralsortOptions>): Tensor {
  const [input, mask, { tau, sinkhornIters }] = entry.check(args);
  return sinkhorn(neuralSort(input, validMask(input, mask), tau), sinkhornIters);
}

export const entry = defineLoss({
  id: 'neuralsort',
  fn: neuralsort,
  args: [
    { name: 'input', shape: ['B', 'K'], dtype: 'float', domain: 'real' },
    { name: 'mask', shape: ['B', 'K'], dtype: 'float', domain: 'mask', optional: true, or: { shape: ['B', 'K'], dtype: 'bool', domain: 'mask' } },
  ],
  options,
  output: 'per-sample',
});
