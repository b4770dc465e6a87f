import { ArgumentError, rand, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  method: opt.oneOf(['gumbel', 'contrastive', 'l1'] as const, 'gumbel', "The bottleneck objective: 'gumbel' (Sparse-CBM), 'contrastive' (CLIP-style), 'l1' (λ‖W‖₁/K, needs `weight`)."),
  tau: opt.number(1, "τ of the Gumbel-Softmax ('gumbel'; the authors' default 1.0).", '(0, inf)'),
  lambda: opt.number(0.0005, "λ of the 'l1' penalty (catalog 5e-4; the authors' trainer default 1e-3).", '[0, inf)'),
  noise: opt.tensor([2, 'N', 'K'], "Uniform noise U in (0, 1) for the two Gumbel-Softmax draws (over dim 0, over dim 1), for a deterministic sample; drawn from `generator` otherwise."),
  generator: opt.generator(),
};
export type SparseCbmOptions = OptionsOf<typeof options>;

/** The mean of −log softmax_dim((a + g)/τ) over every entry, g = −log(−log U): −log of a Gumbel-Softmax sample, in log-softmax form. */
function gumbelNll(a: Tensor, u: Tensor, tau: number, dim: number): Tensor {
  return a.add(u.log().neg().log().neg()).div(tau).logSoftmax(dim).mean().neg();
}

/**
 * Sparse concept-bottleneck objectives on the concept-bottleneck layer's outputs c = CBL(x) [N, K] (the class head's
 * CE is the caller's plain cross-entropy, trained beside it).
 *
 * gumbel:      L = ½·(mean −log GS_0(c) + mean −log GS_1(c)), GS_d = softmax_d((c + g)/τ) with fresh Gumbel noise g per
 *              dim (the authors' criterion_gumbel; stable form: log-softmax, not the log of the sample);
 * contrastive: L = ½·(−mean_i log softmax_0(c)_ii − mean_i log softmax_1(c)_ii) over the min(N, K) diagonal (CLIP's loss);
 * l1:          L = λ·Σ|W| / K for the bottleneck weights W [K, D].
 *
 * @param input bottleneck outputs c [N, K]
 * @param weight the bottleneck weights W [K, D] (only for 'l1')
 * @returns a scalar
 * @see Semenov et al., "Sparse Concept Bottleneck Models: Gumbel Tricks in Contrastive Learning", arXiv 2024 (code: github.com/Andron00e/SparseCBM)
 */
export function sparseCbmLoss(...args: Call<[input: Tensor, weight?: Tensor | null], SparseCbmOptions>): Tensor {
  const [input, weight, { method, tau, lambda, noise, generator }] = entry.check(args);
  if (method === 'l1') {
    if (!weight) throw new ArgumentError('sparseCbmLoss', "method 'l1' needs the bottleneck weights W [K, D] (the second argument)");
    return weight.abs().sum().mul(lambda / input.shape[1]);
  }
  if (method === 'contrastive') return input.logSoftmax(0).diagonal().mean().add(input.logSoftmax(1).diagonal().mean()).mul(-0.5);
  const u = noise ?? rand([2, ...input.shape], { generator, dtype: input.dtype, backend: input.backendName });
  return gumbelNll(input, u.slice(0, 0, 1).squeeze(0), tau, 0).add(gumbelNll(input, u.slice(0, 1, 2).squeeze(0), tau, 1)).mul(0.5);
}

export const entry = defineLoss({
  id: 'sparse-cbm',
  fn: sparseCbmLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['K', 'D'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
  stochastic: true,
  reading:
    "Checked against the authors' released code (criterion_gumbel / criterion_contrastive / criterion_l1): each method is the bottleneck layer's " +
    "own loss, beside the head's CE. 'gumbel' is the mean −log of a soft Gumbel-Softmax sample over each dim (two draws), averaged; " +
    "its `hard` form (−log 0 = ∞ off the argmax) is left out. λ defaults to the catalog's 5e-4.",
});
