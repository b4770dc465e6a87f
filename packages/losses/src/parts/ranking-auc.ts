/** Per-label (macro) AUC pieces over scores [N, C] and multi-hot labels [N, C]: the pairwise and univariate surrogates. */
import type { Tensor } from '@graft/core';
import { surrogate, type Surrogate } from './ranking-sort.js';

/**
 * Per label c: mean over (i ∈ P_c, j ∈ N_c) of l(f_ic − f_jc), and whether the label has both a positive and a
 * negative. Returns [C] values (0 for a skipped label) and [C] bool.
 */
export function pairwiseAucPerLabel(f: Tensor, y: Tensor, kind: Surrogate): { values: Tensor; defined: Tensor } {
  const pos = y.gt(0.5);
  const neg = pos.logicalNot();
  const pairs = pos.unsqueeze(1).logicalAnd(neg.unsqueeze(0)).cast(f.dtype); // [i, j, C]
  const l = surrogate(f.unsqueeze(1).sub(f.unsqueeze(0)), kind); // [i, j, C]: l(f_ic − f_jc)
  const count = pairs.sum([0, 1]);
  return { values: l.mul(pairs).sum([0, 1]).div(count.clamp(1)), defined: count.gt(0) };
}

/** Mean of per-label values [C] over the labels flagged `defined` (0 when none). */
export function meanOverDefined(values: Tensor, defined: Tensor): Tensor {
  const d = defined.cast(values.dtype);
  return values.mul(d).sum().div(d.sum().clamp(1));
}
