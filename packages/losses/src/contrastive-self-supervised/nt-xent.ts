import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.5, 'τ: the temperature (SimCLR: 0.5 on CIFAR, 0.1 on ImageNet).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type NtXentOptions = OptionsOf<typeof options>;

/** The bool [2N, 2N] mask of each anchor's other view: (i, i + N) and (i + N, i). */
export function otherViewMask(n: number, like: Tensor): Tensor {
  const eye = like.newOnes([n, n]).triu(0).tril(0);
  const zero = like.newZeros([n, n]);
  return cat([cat([zero, eye], 1), cat([eye, zero], 1)], 0).gt(0);
}

/**
 * NT-Xent (SimCLR): the normalised temperature-scaled cross-entropy over the 2N views of a batch.
 *
 * z = l2_normalize(cat(z1, z2)), S = z zᵀ/τ; anchor i's positive is its other view p(i) = i ± N and its candidates
 * are the 2N − 1 other samples: ℓᵢ = logsumexp_{k ≠ i} S_ik − S_{i,p(i)}; L = mean over the 2N anchors. Stable
 * form: the diagonal is −∞ in a max-shifted logSoftmax (parts/contrastive-infonce: the InfoNCE core shared with
 * SupCon, which reduces to this with one positive per anchor).
 *
 * @param z1 first-view embeddings [N, D]
 * @param z2 second-view embeddings [N, D] (row i is the other view of z1's row i)
 * @returns a scalar (mean over the 2N anchors), or [N] with reduction 'none': per pair, the mean of its two anchors' losses
 * @see Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations", ICML 2020
 */
export function ntXentLoss(...args: Call<[z1: Tensor, z2: Tensor], NtXentOptions>): Tensor {
  const [z1, z2, { tau, reduction }] = entry.check(args);
  const n = z1.shape[0];
  const z = l2Normalize(cat([z1, z2], 0));
  const per = softmaxContrast(z.matmul(z.T).div(tau), otherViewMask(n, z), { candidates: offDiagonal(2 * n, z) });
  return applyReduction(per.narrow(0, 0, n).add(per.narrow(0, n, n)).mul(0.5), { reduction });
}

export const entry = defineLoss({
  id: 'nt-xent',
  fn: ntXentLoss,
  args: [
    { name: 'z1', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'z2', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  aliases: ['simclr'],
  output: 'per-sample',
});
