import { arange, concat, full, tensor, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

/** Bin of each value of x [...]: the last of its lower edges [..., E] it reaches (ascending; below the first → bin 0). */
function binOf(x: Tensor, lowerEdges: Tensor): Tensor {
  return x.unsqueeze(-1).ge(lowerEdges).cast('int32').sum(-1).sub(1).clamp(0);
}

const options = {
  thresholds: opt.tensor(['B'], 'Per-bin decision thresholds t [B]: the result becomes q − t_{b(u)}.'),
};
export type IsotonicUncertaintyDecisionBoundaryOptions = OptionsOf<typeof options>;

/**
 * Score-and-uncertainty decision boundary through per-uncertainty-bin isotonic regression: the
 * calibrated positivity of a binary classifier's score s given its uncertainty u, optionally minus
 * the threshold of u's bin (then ≥ 0 means "predict positive").
 *
 * b(u) = the uncertainty bin of u (lower edges `uEdges`); q(s, u) = the fitted isotonic step
 * function of bin b at s: the level of the last knot ≤ s (scores below the first knot take the
 * first level). Comparisons and gathers only: zero gradient with respect to s, u and the knots
 * (a step function), the identity with respect to the levels. Fit the parameters with
 * `fitIsotonicUncertainty`.
 *
 * Reading: The transform is the fitted per-uncertainty-bin isotonic step function q(s, u)
 * (calibrated positivity; the level of the last knot ≤ s, as a right-continuous step rather than
 * sklearn's interpolation), minus the bin's threshold when thresholds are given.
 * fitIsotonicUncertainty fits it with B = 5 equal-frequency uncertainty bins (num_u_bins has no
 * documented default) and exact least-squares isotonic regression (max–min formula, = PAV) in Tensor
 * ops. The per-bin threshold search under a global precision bound (the paper's NP-hard problem and
 * its DP) is not implemented: the abstract does not give it.
 *
 * @param scores model scores s [N]
 * @param uncertainty uncertainty estimates u [N]
 * @param uEdges lower edges of the B uncertainty bins, ascending [B] (the first may be −∞)
 * @param knots per-bin knots (ascending; +∞ pads unused slots) [B, K]
 * @param levels per-bin isotonic levels at the knots [B, K]
 * @returns q [N], or q − t_{b(u)} [N] when thresholds are given
 * @see Arora et al., "Leveraging Uncertainty Estimates To Improve Classifier Performance", NeurIPS 2023
 */
export function isotonicUncertaintyDecisionBoundary(...args: Call<[scores: Tensor, uncertainty: Tensor, uEdges: Tensor, knots: Tensor, levels: Tensor], IsotonicUncertaintyDecisionBoundaryOptions>): Tensor {
  const [scores, uncertainty, uEdges, knots, levels, { thresholds }] = entry.check(args);
  const bin = binOf(uncertainty, uEdges);
  const step = binOf(scores, knots.indexSelect(0, bin)); // [N]
  const q = levels.indexSelect(0, bin).gather(-1, step.unsqueeze(-1)).squeeze(-1);
  return thresholds ? q.sub(thresholds.indexSelect(0, bin)) : q;
}

export interface FitIsotonicUncertaintyOptions {
  /** B: equal-frequency bins of the uncertainty. */
  numUBins?: number;
}

/** Running minimum along the last dim, by doubling (log₂ L steps of Tensor ops). */
function cummin(x: Tensor): Tensor {
  const l = x.shape[x.ndim - 1];
  let y = x;
  for (let s = 1; s < l; s *= 2) y = y.minimum(y.pad([s, 0], Infinity).slice(-1, 0, l));
  return y;
}

/**
 * Fits the parameters of `isotonicUncertaintyDecisionBoundary` in Tensor ops: equal-frequency
 * uncertainty bins, then within each bin the least-squares isotonic regression of the labels on
 * the scores, by the max–min formula g(sᵢ) = max_{j≤i} min_{k≥i} mean(y_j..y_k) over the bin's
 * samples in score order (the pool-adjacent-violators solution), with running minima by doubling:
 * O(B N² log N) work and O(B N²) memory, no data-dependent loop. Ties in s keep their input order.
 *
 * @param scores validation scores [N]
 * @param uncertainty validation uncertainties [N]
 * @param labels binary labels [N] (0/1, float)
 * @returns { uEdges [B] (first −∞), knots [B, N] (+∞-padded), levels [B, N] }
 */
export function fitIsotonicUncertainty(scores: Tensor, uncertainty: Tensor, labels: Tensor, opts: FitIsotonicUncertaintyOptions = {}): { uEdges: Tensor; knots: Tensor; levels: Tensor } {
  const { numUBins = 5 } = opts;
  const n = scores.shape[0];
  const be = { dtype: scores.dtype, backend: scores.backendName };
  const sortedU = uncertainty.sort().values.detach();
  const cut = Array.from({ length: numUBins - 1 }, (_, b) => Math.floor(((b + 1) * n) / numUBins));
  const inner = cut.length ? sortedU.indexSelect(0, tensor(cut, { dtype: 'int32', backend: scores.backendName })) : null;
  const uEdges = inner ? concat([full([1], -Infinity, be), inner]) : full([1], -Infinity, be);
  const order = scores.detach().argsort();
  const s = scores.gather(0, order);
  const y = labels.gather(0, order).cast(scores.dtype);
  const member = binOf(uncertainty.gather(0, order), uEdges).unsqueeze(0)
    .eq(arange(numUBins, undefined, 1, { backend: scores.backendName }).unsqueeze(-1)).cast(scores.dtype); // [B, N]
  const zero = scores.newZeros([numUBins, 1]);
  const Y = concat([zero, member.mul(y).cumsum(-1)], -1); // [B, N + 1], Y[j] = Σ_{t<j}
  const M = concat([zero, member.cumsum(-1)], -1);
  // mean over the bin's samples in positions j..k: [B, j, k]
  const Yk = Y.slice(-1, 1).unsqueeze(1);
  const Mk = M.slice(-1, 1).unsqueeze(1);
  const mean = Yk.sub(Y.slice(-1, 0, n).unsqueeze(-1)).div(Mk.sub(M.slice(-1, 0, n).unsqueeze(-1)).clamp(1));
  const both = member.unsqueeze(-1).mul(member.unsqueeze(1)).gt(0); // j and k in the bin
  const minOverK = cummin(both.where(mean, Infinity).flip(-1)).flip(-1); // [B, j, i] = min_{k≥i}
  const upper = s.newOnes([n, n]).triu().gt(0); // j ≤ i
  const g = member.unsqueeze(-1).gt(0).logicalAnd(upper).where(minOverK, -Infinity).amax(1); // [B, i]
  const isMember = member.gt(0);
  const sorted = isMember.where(s.unsqueeze(0).expand([numUBins, n]), Infinity).sort(-1);
  return { uEdges, knots: sorted.values, levels: isMember.where(g, 0).gather(-1, sorted.indices) };
}

export const entry = defineLoss({
  id: 'isotonic-uncertainty-decision-boundary',
  fn: isotonicUncertaintyDecisionBoundary,
  args: [
    { name: 'scores', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'uncertainty', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'uEdges', shape: ['B'], dtype: 'float', domain: 'real' },
    { name: 'knots', shape: ['B', 'K'], dtype: 'float', domain: 'real' },
    { name: 'levels', shape: ['B', 'K'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'same-as-input',
  reading: 'The transform is the fitted per-uncertainty-bin isotonic step function q(s, u) (calibrated positivity; the level of the last knot ≤ s, as a right-continuous step rather than sklearn\'s interpolation), minus the bin\'s threshold when thresholds are given. fitIsotonicUncertainty fits it with B = 5 equal-frequency uncertainty bins (num_u_bins has no documented default) and exact least-squares isotonic regression (max–min formula, = PAV) in Tensor ops. The per-bin threshold search under a global precision bound (the paper\'s NP-hard problem and its DP) is not implemented: the abstract does not give it.',
});
