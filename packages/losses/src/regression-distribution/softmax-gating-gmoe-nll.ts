import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  topK: opt.integer(null, 'K of top-K sparse gating: gate logits outside each row\'s K largest are set to −∞ before the softmax (ties at the K-th value are kept); null: dense softmax gating.', '[1, inf)'),
  reduction: opt.reduction(),
};
export type SoftmaxGatingGmoeNllOptions = OptionsOf<typeof options>;

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Negative log-likelihood of a softmax-gated Gaussian mixture of experts.
 *
 * g(x) = softmax(β1·x + β0); log p(y|x) = lse_i(log g_i(x) + log N(y; a_i·x + b_i, σ_i²)), log N(y; μ, s²) =
 * −½·log(2πs²) − (y − μ)²/(2s²); ℓ = −log p(y|x). Stable form: log g is a log-softmax and the mixture a logsumexp,
 * both max-shifted; top-K experts masked to −∞ drop out of both exactly. The number of experts is E (the rows of β1).
 *
 * @param x inputs [N, D]
 * @param y targets [N]
 * @param beta1 gating weights [E, D]
 * @param beta0 gating biases [E]
 * @param a expert slopes [E, D]
 * @param b expert intercepts [E]
 * @param sigma expert standard deviations σ [E] (> 0; e.g. softplus of a parameter)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Nguyen et al., "Demystifying Softmax Gating Function in Gaussian Mixture of Experts", NeurIPS 2023, arXiv:2305.03288; "Statistical Perspective of Top-K Sparse Softmax Gating Mixture of Experts", ICLR 2024, arXiv:2309.13850
 */
export function softmaxGatingGmoeNll(...args: Call<[x: Tensor, y: Tensor, beta1: Tensor, beta0: Tensor, a: Tensor, b: Tensor, sigma: Tensor], SoftmaxGatingGmoeNllOptions>): Tensor {
  const [x, y, beta1, beta0, a, b, sigma, { topK, reduction }] = entry.check(args);
  const E = beta1.shape[0];
  if (topK !== null && topK > E) throw new ArgumentError('softmaxGatingGmoeNll', `topK must be at most the number of experts ${E}, got ${topK}`);
  let gate = x.matmul(beta1.T).add(beta0); // [N, E]
  if (topK !== null && topK < E) gate = gate.ge(gate.topk(topK, 1).values.narrow(1, topK - 1, 1).detach()).where(gate, -Infinity);
  const mu = x.matmul(a.T).add(b);
  const s2 = sigma.square();
  const logN = s2.log().add(LOG_2PI).mul(-0.5).sub(y.unsqueeze(1).sub(mu).square().div(s2.mul(2)));
  return applyReduction(gate.logSoftmax(1).add(logN).logsumexp(1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'softmax-gating-gmoe-nll',
  fn: softmaxGatingGmoeNll,
  args: [
    { name: 'x', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'y', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'beta1', shape: ['E', 'D'], dtype: 'float', domain: 'real' },
    { name: 'beta0', shape: ['E'], dtype: 'float', domain: 'real' },
    { name: 'a', shape: ['E', 'D'], dtype: 'float', domain: 'real' },
    { name: 'b', shape: ['E'], dtype: 'float', domain: 'real' },
    { name: 'sigma', shape: ['E'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
});
