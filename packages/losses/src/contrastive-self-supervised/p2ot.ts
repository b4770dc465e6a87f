import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  rho: opt.number(0.1, 'ρ: the fraction of the mass transported at this step (the schedule\'s value; catalog rho_start 0.1, rising to 1).', '(0, 1]'),
  lambda: opt.number(1, 'λ: the weight of the KL penalty on the cluster marginal Qᵀ1 against ρ/K (catalog 1.0).', '[0, inf)'),
  epsilon: opt.number(0.1, 'ε: the entropic regularisation of the plan (catalog 0.1).', '(0, inf)'),
  iters: opt.integer(100, 'Scaling iterations (catalog 100).', '[1, inf)'),
};
export type P2otOptions = OptionsOf<typeof options>;

/**
 * P²OT: pseudo-labels from a progressive partial optimal-transport plan, then a CE weighted by transported mass.
 *
 * C = −log softmax(x) [N, K]; the plan solves min_Q ⟨Q, C⟩ + ε⟨Q, log Q⟩ + λ·KL(Qᵀ1 ‖ ρ/K·1) with Q1 ≤ 1/N and
 * 1ᵀQ1 = ρ, as balanced-row / soft-column OT on Q̂ = [Q, ξ] with a virtual cluster of cost 0 and mass 1 − ρ:
 * in the log domain, f = −log N − lse_j(−Ĉ_ij/ε + g_j), g_k = φ_k·(log b_k − lse_i(−Ĉ_ik/ε + f_i)) with
 * b = [ρ/K·1, 1 − ρ], φ_k = λ/(λ + ε) for the real clusters and 1 for the virtual one; Q̂ = exp(−Ĉ/ε + f + g).
 * ŷ_i = argmax_{k<K} Q_ik, w_i = Σ_{k<K} Q_ik; L = Σ_i w_i·CE(x_i, ŷ_i) / Σ_i w_i.
 * The plan is computed on detached logits (no gradient), as the paper's pseudo-labelling.
 *
 * @param input cluster logits [N, K]
 * @returns a scalar
 * @see Zhang et al., "P²OT: Progressive Partial Optimal Transport for Deep Imbalanced Clustering", ICLR 2024
 */
export function p2otLoss(...args: Call<[input: Tensor], P2otOptions>): Tensor {
  const [input, { rho, lambda, epsilon, iters }] = entry.check(args);
  const [n, k] = input.shape;
  const logp = input.logSoftmax(-1);
  const logKernel = logp.detach().div(epsilon).pad([0, 1]); // −Ĉ/ε, the virtual column's cost 0
  const logB = input.newFull([k], Math.log(rho / k)).pad([0, 1], Math.log(1 - rho)); // log 0 = −∞ at ρ = 1
  const phi = input.newFull([k], lambda / (lambda + epsilon)).pad([0, 1], 1);
  let f = input.newZeros([n, 1]);
  let g = input.newZeros([1, k + 1]);
  for (let t = 0; t < iters; t++) {
    f = logKernel.add(g).logsumexp(1, true).neg().sub(Math.log(n));
    g = logB.sub(logKernel.add(f).logsumexp(0)).mul(phi).unsqueeze(0);
  }
  const q = logKernel.add(f).add(g).exp().slice(1, 0, k); // [N, K], no gradient
  const w = q.sum(1);
  const ce = logp.gather(1, q.argmax(1, true)).squeeze(1).neg();
  return ce.mul(w).sum().div(w.sum());
}

export const entry = defineLoss({
  id: 'p2ot',
  fn: p2otLoss,
  args: [{ name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
  surrogateGradient: 'The transport plan (pseudo-labels and weights) is computed from detached logits, as the paper: only the weighted CE is differentiated.',
  reading:
    "The catalog's reading, written from the paper's description (the authors' code was not checked): the input is logits (C = −log softmax), the " +
    "virtual-cluster scaling runs `iters` log-domain iterations from zero potentials, the pseudo-label is the hard argmax over the real clusters and " +
    "the weight the sample's transported mass; ρ is the schedule's current value, given by the caller (default the schedule's start, 0.1).",
});
