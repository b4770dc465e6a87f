import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type SadeTestTimeAggregationOptions = OptionsOf<typeof options>;

/**
 * SADE's test-time self-supervised aggregation: learn the weights of the experts so that the aggregated
 * prediction is stable across two augmented views of each unlabelled test sample.
 *
 * w = softmax(ω) over the E experts; ŷ(x) = softmax(Σ_e w_e·v_e(x)); ℓᵢ = −cos(ŷ(xᵢ¹), ŷ(xᵢ²)). Stable form:
 * softmaxes of max-shifted logits; probability vectors have norm ≥ 1/√C, so the cosine is finite at any
 * logits. Wiring: the backbone and experts are frozen; compute their logits on both views, and optimise only
 * ω (the paper: SGD, lr 0.025, a few epochs over the test set).
 *
 * @param view1 expert logits v_e on the first view [E, N, C]
 * @param view2 expert logits v_e on the second view [E, N, C]
 * @param omega aggregation parameters ω [E]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhang et al., "Self-Supervised Aggregation of Diverse Experts for Test-Agnostic Long-Tailed
 *   Recognition", NeurIPS 2022
 */
export function sadeTestTimeAggregation(...args: Call<[view1: Tensor, view2: Tensor, omega: Tensor], SadeTestTimeAggregationOptions>): Tensor {
  const [view1, view2, omega, { reduction }] = entry.check(args);
  const w = omega.softmax(0).reshape([-1, 1, 1]);
  const p1 = view1.mul(w).sum(0).softmax(-1);
  const p2 = view2.mul(w).sum(0).softmax(-1);
  const cos = p1.mul(p2).sum(-1).div(p1.norm(2, -1).mul(p2.norm(2, -1)));
  return applyReduction(cos.neg(), { reduction });
}

export const entry = defineLoss({
  id: 'sade-test-time-aggregation',
  fn: sadeTestTimeAggregation,
  args: [
    { name: 'view1', shape: ['E', 'N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'view2', shape: ['E', 'N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'omega', shape: ['E'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  batchDim: 1,
});
