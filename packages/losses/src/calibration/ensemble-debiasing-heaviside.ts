import { arange, concat, tensor, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  numWeights: opt.integer(30, 'W: the class-level weights are (j + 1)/W, j = 0..W−1 (rule ids 19..18+W).', '[1, inf)'),
};
export type EnsembleDebiasingOptions = OptionsOf<typeof options>;

// The 17 sample-level membership functions: triangles max(0, 1 − |p − centre|/halfWidth) with
// slopes ±2 (3 centres), ±4 (5) and ±8 (9) on a uniform grid of [0, 1] (rule ids 0..16).
const TRIANGLES: [number, number][] = [2, 4, 8].flatMap((slope) =>
  Array.from({ length: slope + 1 }, (_, i): [number, number] => [i / slope, 1 / slope]));

/**
 * Ensemble debiasing (DCS) of in-context class probabilities: each class k gets one rule r_k that
 * rewrites its probability, either at sample level (a triangular membership function that fires
 * only in one probability range — a difference of Heaviside-gated ramps) or at class level (a weight).
 *
 * p'ₖ = rule_{r_k}(pₖ): r ∈ 0..16 the triangles max(0, 1 − |p − c|/w) (slopes ±2/±4/±8, centres on
 * a uniform grid), 17 identity, 18 complement 1 − p, 19 + j the weight p·(j + 1)/W. A row that
 * becomes all zeros keeps its original probabilities; the prediction is argmax p'. The rule ids are
 * found by simulated annealing (a non-gradient search) maximising accuracy minus class-accuracy
 * imbalance, outside this function; `dcsObjective` is that search's objective in tensor ops.
 *
 * Reading: The official DCS code (NUS-HPC-AI-Lab/DCS, dcs.py), not the catalog's w·p + Σβ·H(p − t)
 * sketch: one rule per class among 17 triangular membership functions (slopes ±2/±4/±8 — the
 * Heaviside-gated sample-level corrections), identity, complement and class-level weights (j + 1)/W;
 * an all-zero row keeps its input. numWeights = 30, the first of the code's grid {30, 50, 70, 90}
 * (chosen on a dev set there). The simulated-annealing search is not implemented (a stochastic non-
 * gradient search); its objective is exported as dcsObjective.
 *
 * @param probs the frozen LLM's class probabilities [N, C]
 * @param rules one rule id per class [C] (int32, 0 ≤ r < 19 + numWeights)
 * @returns corrected scores [N, C]
 * @see Lin et al., "Ensemble Debiasing Across Class and Sample Levels for Fairer Prompting Accuracy", 2025
 */
export function ensembleDebiasing(...args: Call<[probs: Tensor, rules: Tensor], EnsembleDebiasingOptions>): Tensor {
  const [probs, rules, { numWeights }] = entry.check(args);
  const be = { dtype: probs.dtype, backend: probs.backendName };
  const centre = tensor(TRIANGLES.map(([c]) => c), be);
  const halfWidth = tensor(TRIANGLES.map(([, w]) => w), be);
  const p = probs.unsqueeze(-1); // [N, C, 1]
  const candidates = concat([
    p.sub(centre).abs().div(halfWidth).neg().add(1).relu(), // rules 0..16
    p, p.neg().add(1), // 17, 18
    p.mul(arange(1, numWeights + 1, 1, be).div(numWeights)), // 19..18+W
  ], -1); // [N, C, 19 + W]
  const index = rules.reshape([1, -1, 1]).expand([probs.shape[0], probs.shape[1], 1]);
  const corrected = candidates.gather(-1, index).squeeze(-1);
  return corrected.sum(-1, true).eq(0).where(probs, corrected);
}

export interface DcsObjectiveOptions {
  /** Weight of the error count. */
  alpha?: number;
  /** Weight of N·COBias (mean pairwise gap of class accuracies). */
  beta?: number;
  /** Weight of N·Σ_j −log(smoothed joint / (smoothed predicted · smoothed true) class rates). */
  tau?: number;
  /** Smoothing count of the rates. */
  k?: number;
}

/**
 * The objective the DCS search minimises over the rule ids (official code's `ObjFunction`):
 * z = α·errors + β·N·COBias + τ·N·Σ_j −log(r̃ⱼ / (π̃ⱼ b̃ⱼ)), with predictions argmax of `corrected`,
 * Bⱼ the support of class j, accⱼ = (Bⱼ − errorsⱼ)/Bⱼ, COBias = mean_{i<j} |accᵢ − accⱼ|,
 * r̃ⱼ = (correctⱼ + k)/(N + kC²), π̃ⱼ = (predictedⱼ + k)/(N + kC), b̃ⱼ = (Bⱼ + k)/(N + kC).
 * Piecewise constant (argmax): a search objective, not a gradient one. Every class needs Bⱼ > 0.
 *
 * @param corrected debiased scores [N, C] (from `ensembleDebiasing`)
 * @param target class indices [N] (int32)
 * @returns a scalar
 */
export function dcsObjective(corrected: Tensor, target: Tensor, opts: DcsObjectiveOptions = {}): Tensor {
  const { alpha = 1, beta = 1, tau = 0, k = 4000 } = opts;
  const [n, c] = corrected.shape;
  const classes = arange(c, undefined, 1, { backend: corrected.backendName });
  const truth = target.unsqueeze(-1).eq(classes).cast(corrected.dtype); // [N, C]
  const predicted = corrected.argmax(-1, true).eq(classes).cast(corrected.dtype);
  const support = truth.sum(0);
  const correct = truth.mul(predicted).sum(0);
  const acc = correct.div(support);
  const gaps = acc.unsqueeze(-1).sub(acc).abs().triu(1).sum().div((c * (c - 1)) / 2);
  const joint = correct.add(k).div(n + k * c * c);
  const marginal = (x: Tensor) => x.add(k).div(n + k * c);
  const pmi = joint.div(marginal(predicted.sum(0)).mul(marginal(support))).log().neg().sum();
  return support.sum().sub(correct.sum()).mul(alpha).add(gaps.mul(beta * n)).add(pmi.mul(tau * n));
}

export const entry = defineLoss({
  id: 'ensemble-debiasing-heaviside',
  fn: ensembleDebiasing,
  args: [
    { name: 'probs', shape: ['N', 'C'], dtype: 'float', domain: 'prob' },
    { name: 'rules', shape: ['C'], dtype: 'int', domain: 'nonneg' },
  ],
  options,
  output: 'same-as-input',
  reading: "The official DCS code (NUS-HPC-AI-Lab/DCS, dcs.py), not the catalog's w·p + Σβ·H(p − t) sketch: one rule per class among 17 triangular membership functions (slopes ±2/±4/±8 — the Heaviside-gated sample-level corrections), identity, complement and class-level weights (j + 1)/W; an all-zero row keeps its input. numWeights = 30, the first of the code's grid {30, 50, 70, 90} (chosen on a dev set there). The simulated-annealing search is not implemented (a stochastic non-gradient search); its objective is exported as dcsObjective.",
});
