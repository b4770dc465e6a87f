import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform, ldamMargins } from '../parts/class-stats.js';
import { adjustedCe } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); absent: uniform (every temperature α, equal LDAM margins).'),
  lambda: opt.number(0.2, 'λ: the weight of the diversity term (the code\'s diversity factor −0.2 with its sign).', '[0, inf)'),
  alpha: opt.number(1, 'α: the base diversity temperature.', '(0, inf)'),
  gamma: opt.number(0.2, 'γ: how strongly the per-class temperature follows the class frequency.', '[0, 1]'),
  clsLoss: opt.oneOf(['ldam', 'ce'], 'ldam', "Each expert's classification loss: LDAM (RIDE's choice; s, mMax) or plain cross-entropy."),
  s: opt.number(30, "LDAM's logit scale.", '(0, inf)'),
  mMax: opt.number(0.5, "LDAM's largest margin.", '[0, inf)'),
  weight: opt.tensor(['C'], 'Per-class weights of the classification loss [C] (DRW: createDrwWeights(...).weights).'),
  reduction: opt.reduction(),
};
export type RideDiversityOptions = OptionsOf<typeof options>;

/**
 * RIDE's multi-expert objective: each expert's classification loss minus a distribution-aware diversity
 * term that rewards disagreement with the experts' mean.
 *
 * β_k = γ·C·n_k/Σn + (1 − γ), T_k = α·(β_k + 1 − max_j β_j) (per class, dividing each logit column); z̄ = mean_e z_e;
 * ℓᵢ = Σ_e [L_cls(z_e, y) − λ·T̄²·KL(softmax(z̄/T) ‖ softmax(z_e/T))], T̄ = mean_k T_k, KL summed over classes
 * (F.kl_div(log_softmax(z_e/T), softmax(z̄/T)) as the authors' code, 'batchmean' = the mean of ℓᵢ).
 * L_cls is LDAM (per-sample, with optional DRW weights) or CE.
 *
 * @param input per-expert logits z [E, N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Long-tailed Recognition by Routing Diverse Distribution-Aware Experts", ICLR 2021
 */
export function rideDiversityLoss(...args: Call<[input: Tensor, target: Tensor], RideDiversityOptions>): Tensor {
  const [input, target, { classCounts, lambda, alpha, gamma, clsLoss, s, mMax, weight, reduction }] = entry.check(args);
  const [e, , c] = input.shape;
  const n = countsOrUniform('rideDiversityLoss', classCounts, input, c);
  const b = n.mul(gamma * c).div(n.sum()).add(1 - gamma);
  const temp = b.sub(b.amax()).add(1).mul(alpha); // [C]
  const tMean2 = temp.mean().square();
  const meanLogits = input.mean(0);
  const logQ = meanLogits.div(temp).logSoftmax(-1); // [N, C]
  const q = logQ.exp();
  const margin = clsLoss === 'ldam' ? ldamMargins(n, mMax) : null;
  let total: Tensor | null = null;
  for (let i = 0; i < e; i++) {
    const z = input.narrow(0, i, 1).squeeze(0);
    const cls = adjustedCe(z, target, margin ? { margin, outerScale: s } : {}, weight).values;
    const kl = q.mul(logQ.sub(z.div(temp).logSoftmax(-1))).sum(-1);
    const term = cls.sub(kl.mul(tMean2).mul(lambda));
    total = total ? total.add(term) : term;
  }
  return applyReduction(total!, { reduction });
}

export const entry = defineLoss({
  id: 'ride-diversity',
  fn: rideDiversityLoss,
  args: [
    { name: 'input', shape: ['E', 'N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  batchDim: 1,
  reading: "the authors' code: per-class temperatures divide each logit column, the KL is KL(mean ‖ expert) scaled by the squared mean temperature, summed over experts with the classification loss (LDAM by default); with weights the classification terms are weighted per sample but the mean stays over samples.",
});
