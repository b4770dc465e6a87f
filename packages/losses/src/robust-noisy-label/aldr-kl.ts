import { noGrad, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { ldrKlValue, ldrMargins, ldrScores } from '../parts/robust-ldr.js';

const options = {
  lambdaPrev: opt.tensor(['N'], 'λᵢ of each sample\'s previous visit [N] (an AldrKlState keeps them); null: λ0 for every sample (a first visit).'),
  alpha: opt.number(2, 'α: strength of the penalty (α·log K/(2λ0))·(λᵢ − λ0)² on moving λᵢ away from λ0.', '(0, inf)'),
  lam0: opt.number(10, 'λ0: the reference λ.', '(0, inf)'),
  c: opt.number(0.1, 'c: the margin added to every non-target class.', '[0, inf)'),
  normalizeScores: opt.boolean(true, 'Score normalisation f = softplus(z)/mean_k softplus(z_k) of the official code (false: f = z).'),
  lamMin: opt.number(1e-3, 'The floor of λᵢ (a small positive minimum, not given in the paper).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type AldrKlOptions = OptionsOf<typeof options>;

/** The per-sample λᵢ of ALDR-KL (no gradient): λ0 − λ0·KL(qᵢ ‖ u)/(α·log K), qᵢ = softmax(fᵢ/λᵢ_prev), floored at lamMin. */
export function aldrKlLambda(f: Tensor, lambdaPrev: Tensor | null, { alpha = 2, lam0 = 10, lamMin = 1e-3 } = {}): Tensor {
  return noGrad(() => {
    const k = f.shape[f.ndim - 1];
    const prev = lambdaPrev ? lambdaPrev.detach().cast(f.dtype).unsqueeze(-1) : lam0;
    const logq = f.detach().div(prev).logSoftmax(-1);
    const kl = logq.exp().mul(logq.add(Math.log(k))).sum(-1); // KL(q ‖ u) = Σ q log(K q)
    // One class: q = u, KL = 0 and λᵢ = λ0 (the ratio KL/log K is 0/0 there).
    return k === 1 ? kl.mul(0).add(lam0) : kl.mul(-lam0 / (alpha * Math.log(k))).add(lam0).clamp(lamMin);
  });
}

/**
 * ALDR-KL: LDR-KL with an adaptive per-sample λᵢ (confident samples get a small λ, near the hinge).
 *
 * f, d_k = c·1[k≠y] + f_k − f_y as in ldr-kl. λᵢ = sg(λ0 − λ0·KL(qᵢ ‖ u)/(α log K)), qᵢ = softmax(fᵢ/λᵢ_prev),
 * floored at lamMin; ℓᵢ = λᵢ·(logsumexp_k(d_k/λᵢ) − log K) − (α log K/(2λ0))·(λᵢ − λ0)². KL(q ‖ u) is
 * computed from a max-shifted logSoftmax (finite at logits of ±1e4).
 * State: the previous λᵢ of every sample is a buffer over the dataset. `createAldrKlState(numSamples)` keeps
 * it: pass `lambdaPrev: state.previous(ids)`, then `state.update(ids, logits)` after the step.
 *
 * @param input logits [N, K]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhu, Ying & Yang, "Label Distributionally Robust Losses for Multi-class Classification: Consistency,
 *   Robustness and Adaptivity", ICML 2023
 */
export function aldrKlLoss(...args: Call<[input: Tensor, target: Tensor], AldrKlOptions>): Tensor {
  const [input, target, { lambdaPrev, alpha, lam0, c, normalizeScores, lamMin, reduction }] = entry.check(args);
  const k = input.shape[1];
  const f = ldrScores(input, normalizeScores);
  const lam = aldrKlLambda(f, lambdaPrev, { alpha, lam0, lamMin });
  const penalty = lam.sub(lam0).square().mul((alpha * Math.log(k)) / (2 * lam0));
  return applyReduction(ldrKlValue(ldrMargins(f, target, c), lam).sub(penalty), { reduction });
}

/** Serialisable state of ALDR-KL: the last λᵢ of every training sample. */
export interface AldrKlStateDict { lambdas: number[] }

/** The per-sample λ buffer of ALDR-KL. */
export interface AldrKlState {
  /** λᵢ_prev of the samples `ids` [N] (int32): the lambdaPrev option. */
  previous(ids: Tensor): Tensor;
  /** Stores λᵢ (aldrKlLambda from these logits and the stored λᵢ_prev) for `ids`; returns them. */
  update(ids: Tensor, logits: Tensor): Tensor;
  stateDict(): AldrKlStateDict;
  loadStateDict(state: AldrKlStateDict): void;
}

export function createAldrKlState(numSamples: number, { alpha = 2, lam0 = 10, lamMin = 1e-3, normalizeScores = true } = {}): AldrKlState {
  let lambdas = Array.from({ length: numSamples }, () => lam0);
  const previous = (ids: Tensor) => tensor(Array.from(ids.data(), (i) => lambdas[i]), { dtype: 'float64' });
  return {
    previous,
    update(ids, logits) {
      const prev = previous(ids).cast(logits.dtype).to(logits.backendName);
      const lam = aldrKlLambda(ldrScores(logits.detach(), normalizeScores), prev, { alpha, lam0, lamMin });
      const values = lam.data();
      Array.from(ids.data()).forEach((i, j) => { lambdas[i] = values[j]; });
      return lam;
    },
    stateDict: () => ({ lambdas: [...lambdas] }),
    loadStateDict(state) { lambdas = [...state.lambdas]; },
  };
}

export const entry = defineLoss({
  id: 'aldr-kl',
  fn: aldrKlLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'The closed-form λᵢ update of the official code (the paper states a min-max over λᵢ): λᵢ = sg(λ0 − λ0·KL(softmax(fᵢ/λᵢ_prev) ‖ u)/(α log K)) floored at lamMin = 1e-3, with f the softplus/mean-normalised scores; the previous λᵢ is an explicit option fed from createAldrKlState.',
});
