import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';

const options = {
  beta: opt.number(0.01, 'β: the weight of the temperature regulariser Ω (the authors\' SimCLR default, 0.01).', '[0, inf)'),
  dim: opt.integer(null, 'd′ in Ω(τ) = (d′/2)·log τ + 1/τ; null: D, the heads\' feature dimension (as the authors).', '[1, inf)'),
  reduction: opt.reduction(),
};
export type AmclOptions = OptionsOf<typeof options>;

/**
 * AMCL (SimCLR form): InfoNCE summed over C projection heads, each pair's cosine similarity divided by its own
 * adaptive temperature, with the temperature regulariser Ω inside each pair's likelihood.
 *
 * Per head c, the 2N views u = l2_normalize([z1; z2]) and s_ab = u_a·u_b. Each view a is scored against every
 * other view b by g_ab = s_ab/τ_ab − β·Ω(τ_ab), Ω(τ) = (d′/2)·log τ + 1/τ (the negative log of a Gaussian
 * likelihood's normaliser: ‖u_a − u_b‖²/2τ + (d′/2)·log τ = (1 − s_ab)/τ + (d′/2)·log τ), and
 *   ℓ_{c,a} = −g_{a,p(a)} + logsumexp_{b ≠ a} g_ab,   p(a) = a ± N (the other view of the same sample);
 * the value of sample i is Σ_c ½(ℓ_{c,i} + ℓ_{c,i+N}). Stable form: a max-shifted log-softmax over b ≠ a
 * (parts/contrastive-infonce), so logits of ±1e4 stay finite.
 *
 * The temperatures come from the caller's temperature network (the authors': τ = η + ι·σ(−φ(u_a)·φ(u_b)), a shared
 * MLP φ, τ in [1e-5, 2]); they are an argument, so the gradient reaches that network through them.
 * Follows LeiWangR/cl, amcl/losses.py (AMCLNTXentLoss, omega): the regulariser Ω and its weight β are theirs;
 * their code keeps only the top-k negatives and averages their s/τ, here every negative enters the exact
 * logsumexp and every pair, positive or negative, carries its own Ω.
 *
 * @param z1 the C heads' projections of view 1 [C, N, D]
 * @param z2 the C heads' projections of view 2 [C, N, D]
 * @param tau pair temperatures τ [C, 2, N, 2, N] (positive): tau[c, v, i, w, j] pairs view v of sample i with view w
 *   of sample j in head c; the self pairs (v, i) = (w, j) are not read
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang, Koniusz, Gedeon, Zheng, "Adaptive Multi-head Contrastive Learning", ECCV 2024, arXiv:2310.05615
 */
export function amclLoss(...args: Call<[z1: Tensor, z2: Tensor, tau: Tensor], AmclOptions>): Tensor {
  const [z1, z2, tau, { beta, dim, reduction }] = entry.check(args);
  const [heads, n, d] = z1.shape;
  const m = 2 * n;
  const u = l2Normalize(cat([z1, z2], 1));
  const t = tau.reshape([heads, m, m]);
  const omega = t.log().mul((dim ?? d) / 2).add(t.reciprocal());
  const logits = u.matmul(u.transpose(-2, -1)).div(t).sub(omega.mul(beta)).reshape([heads * m, m]);
  const candidates = offDiagonal(m, z1);
  // The positive of view a is a + N (first view) or a − N (second view): the off-diagonal blocks' diagonals.
  const eye = z1.newOnes([n, n]).triu(0).tril(0);
  const zero = z1.newZeros([n, n]);
  const positives = cat([cat([zero, eye], 1), cat([eye, zero], 1)], 0).gt(0);
  const tile = (x: Tensor) => x.unsqueeze(0).expand([heads, m, m]).reshape([heads * m, m]);
  const perView = softmaxContrast(logits, tile(positives), { candidates: tile(candidates) }).reshape([heads, 2, n]);
  return applyReduction(perView.mean(1).sum(0), { reduction });
}

export const entry = defineLoss({
  id: 'amcl',
  fn: amclLoss,
  args: [
    { name: 'z1', shape: ['H', 'N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'z2', shape: ['H', 'N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'tau', shape: ['H', 2, 'N', 2, 'N'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
  batchDim: 1,
  reading: 'The SimCLR form as the posterior of the positive among all other views, per head: logits s/τ − β·Ω(τ) with Ω(τ) = (d′/2)·log τ + 1/τ and β = 0.01 from the authors\' amcl/losses.py, exact logsumexp over all 2N − 2 negatives (not their top-k mean), summed over heads and averaged over the two views; the pair temperatures are an argument produced by the caller\'s temperature network.',
});
