import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  alpha: opt.number(1, 'α: the weight of the foreground-edge term.', '[0, inf)'),
  beta: opt.number(1, 'β: the weight of the background-edge term.', '[0, inf)'),
  gamma: opt.number(1, 'γ: the weight of the edge loss against the node loss.', '[0, inf)'),
  variant: opt.oneOf(['dnorm', 'dnorm-fgbg', 'baseline'], 'dnorm', "'dnorm': both terms ÷ M_FG; 'dnorm-fgbg': background ÷ M_BG; 'baseline': mean over all edges."),
};
export type DensityNormalizedEdgeLossOptions = OptionsOf<typeof options>;

/**
 * Density-normalized edge loss for scene-graph generation: the edge cross-entropy normalised by the
 * number of foreground edges, so dense graphs do not dominate.
 *
 * l_e = CE(edge logits_e, r_e) (max-shifted log-softmax); FG = edges with r_e > 0 (M_FG of them), BG =
 * r_e = 0 (M_BG). dnorm: L_edge = (α·Σ_FG l_e + β·Σ_BG l_e)/M_FG; dnorm-fgbg: α·Σ_FG l_e/M_FG +
 * β·Σ_BG l_e/M_BG; baseline: mean_e l_e. Counts of 0 are read as 1 (the code's guard). Total =
 * node CE (mean over nodes, when node logits are given) + γ·L_edge.
 *
 * @param edgeLogits [M, R] (relation 0 = background)
 * @param edgeLabels [M] (int32)
 * @param nodeLogits [V, Q] (optional); @param nodeLabels [V] (int32, with nodeLogits)
 * @returns a scalar (one image's graph)
 * @see Knyazev et al., "Graph Density-Aware Losses for Novel Compositions in Scene Graph Generation", BMVC 2020
 */
export function densityNormalizedEdgeLoss(...args: Call<[edgeLogits: Tensor, edgeLabels: Tensor, nodeLogits?: Tensor, nodeLabels?: Tensor], DensityNormalizedEdgeLossOptions>): Tensor {
  const [edgeLogits, edgeLabels, nodeLogits, nodeLabels, { alpha, beta, gamma, variant }] = entry.check(args);
  const l = edgeLogits.logSoftmax(-1).gather(-1, edgeLabels.unsqueeze(-1)).squeeze(-1).neg();
  const fg = edgeLabels.gt(0).cast(l.dtype);
  const mFg = Math.max(1, fg.sum().item());
  const mBg = Math.max(1, edgeLabels.shape[0] - fg.sum().item());
  const fgSum = l.mul(fg).sum();
  const bgSum = l.sub(l.mul(fg)).sum();
  const edge = variant === 'baseline' ? l.mean()
    : variant === 'dnorm' ? fgSum.mul(alpha).add(bgSum.mul(beta)).div(mFg)
      : fgSum.mul(alpha / mFg).add(bgSum.mul(beta / mBg));
  if (!nodeLogits || !nodeLabels) return edge.mul(gamma);
  const node = nodeLogits.logSoftmax(-1).gather(-1, nodeLabels.unsqueeze(-1)).mean().neg();
  return node.add(edge.mul(gamma));
}

export const entry = defineLoss({
  id: 'density-normalized-edge-loss',
  fn: densityNormalizedEdgeLoss,
  args: [
    { name: 'edgeLogits', shape: ['M', 'R'], dtype: 'float', domain: 'logits' },
    { name: 'edgeLabels', shape: ['M'], dtype: 'int', domain: 'label', classes: 'R' },
    { name: 'nodeLogits', shape: ['V', 'Q'], dtype: 'float', domain: 'logits', optional: true },
    { name: 'nodeLabels', shape: ['V'], dtype: 'int', domain: 'label', classes: 'Q', optional: true },
  ],
  options,
  output: 'batch',
});
