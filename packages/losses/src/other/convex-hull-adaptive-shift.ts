import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type ConvexHullAdaptiveShiftOptions = OptionsOf<typeof options>;

/**
 * Convex-hull adaptive shift (CHASE): re-centre a multi-entity skeleton sequence on a learned point inside the
 * convex hull of its joints, so that the normalisation adapts to each sample.
 *
 * w = softmax(g(X)) over the P skeleton points (entities × joints); o = Σ_p w_p·x_p (a convex combination, so
 * o lies in the hull); X' = X − o, the same shift for every frame and coordinate that `...` holds. Reading:
 * the weight network g is the caller's (pass its logits); one origin per sequence; training adds CE and the
 * pairwise MMD of the paper (the kernel-mmd entry). Stable form: a max-shifted softmax.
 *
 * @param input skeleton points X [N, P, ...] (e.g. [N, P, T, 3])
 * @param logits g(X), one score per point [N, P]
 * @returns the shifted points, shaped like input
 * @see Wen et al., "CHASE: Learning Convex Hull Adaptive Shift for Skeleton-based Multi-Entity Action
 *   Recognition", NeurIPS 2024
 */
export function convexHullAdaptiveShift(...args: Call<[input: Tensor, logits: Tensor], ConvexHullAdaptiveShiftOptions>): Tensor {
  const [input, logits] = entry.check(args);
  const w = logits.softmax(1).reshape([...logits.shape, ...input.shape.slice(2).map(() => 1)]);
  return input.sub(input.mul(w).sum(1, true));
}

export const entry = defineLoss({
  id: 'convex-hull-adaptive-shift',
  fn: convexHullAdaptiveShift,
  args: [
    { name: 'input', shape: ['N', 'P', '...'], dtype: 'float', domain: 'real' },
    { name: 'logits', shape: ['N', 'P'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'same-as-input',
  reading: 'One origin per sequence: o = Σ_p softmax(g(X))_p x_p over the P entity-joint points, shared by every frame; g is the caller\'s network.',
});
