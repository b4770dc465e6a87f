import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tPrime: opt.numberOrTensor(Math.log(10), [], "t': the log of the logit scale (SigLIP initialises it to log 10); a 0-d tensor to learn it."),
  bias: opt.numberOrTensor(-10, [], 'b: the logit bias (initialised to −10 so the many negatives start near probability 0); a 0-d tensor to learn it.'),
  normalize: opt.boolean(true, 'L2-normalise both embeddings first (SigLIP does); false for embeddings already normalised upstream.'),
  reduction: opt.reduction(),
};
export type SiglipOptions = OptionsOf<typeof options>;

/**
 * SigLIP: a binary sigmoid loss on every image-text pair of the batch, no softmax normalisation.
 *
 * logit_ij = exp(t')·x_i·y_j + b, z_ij = +1 if i = j else −1; L = −(1/B)·Σ_i Σ_j log σ(z_ij·logit_ij). Stable form:
 * log σ(v) = −softplus(−v), finite at any logit. The chunked multi-device form accumulates the same sum.
 *
 * @param input image embeddings x [N, D]
 * @param target text embeddings y [N, D] (row i pairs with x's row i)
 * @returns a scalar, or [N] with reduction 'none' (image i's sum over the N texts)
 * @see Zhai et al., "Sigmoid Loss for Language Image Pre-Training", ICCV 2023
 */
export function siglipLoss(...args: Call<[input: Tensor, target: Tensor], SiglipOptions>): Tensor {
  const [input, target, { tPrime, bias, normalize, reduction }] = entry.check(args);
  const [x, y] = normalize ? [l2Normalize(input), l2Normalize(target)] : [input, target];
  const scale = typeof tPrime === 'number' ? Math.exp(tPrime) : tPrime.exp();
  const logits = x.matmul(y.T).mul(scale).add(bias);
  const n = x.shape[0];
  const z = x.newOnes([n, n]).triu(0).tril(0).mul(2).sub(1);
  return applyReduction(logits.mul(z).logSigmoid().sum(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'siglip',
  fn: siglipLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
