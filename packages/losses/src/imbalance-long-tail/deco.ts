import { IndexError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarity } from '../parts/distances.js';
import { hardCe } from '../parts/pseudo-label-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  lam: opt.number(0.5, 'λ: prototype interpolation f̃ = λ·f + (1 − λ)·c_y (the catalog leaves it open; 0.5 is the midpoint).', '[0, 1]'),
  alignWeight: opt.number(1, 'β: weight of the pixel-level semantic alignment term.', '[0, inf)'),
  cap: opt.number(1, 'κ: cap of the per-pixel cosine distance (1 − cos ≤ κ; pairs beyond orthogonal stop pulling), the robust part.', '(0, 2]'),
  reduction: opt.reduction(),
};
export type DecoOptions = OptionsOf<typeof options>;

/** The size of each sample's group in the batch: ids [N] (int32, ≥ 0) → counts [N] in `like`'s dtype. */
function groupSizes(ids: Tensor, like: Tensor): Tensor {
  const values = ids.data();
  let k = 0;
  for (const v of values) {
    if (!(v >= 0)) throw new IndexError('decoLoss', `domains: domain id ${v} is negative`);
    k = Math.max(k, v + 1);
  }
  const onehot = ids.oneHot(k).cast(like.dtype);
  return onehot.mul(onehot.sum(0)).sum(-1);
}

/**
 * DECO: data-aware class/domain-weighted CE on prototype-interpolated decoupled features, plus a capped
 * pixel-level alignment of the pair's semantic maps.
 *
 * f̃ᵢ = λ·fᵢ + (1 − λ)·c_{yᵢ}, with fᵢ the recombined representation (semantics of image a + domain noise of image b)
 * and c the class prototypes (held constant); wᵢ ∝ 1/(n_{yᵢ}·n_{dᵢ}) from the batch's class and domain counts,
 * scaled to Σ wᵢ = N; alignᵢ = (1/P)·Σ_p min(1 − cos(aᵢₚ, bᵢₚ), κ) between the decoupled semantic maps a, b of the
 * pair. ℓᵢ = wᵢ·CE(W f̃ᵢ, yᵢ) + β·alignᵢ, CE max-shifted.
 *
 * @param features recombined representations f [N, D]
 * @param target DR grades [N] (int32)
 * @param domains source-domain ids [N] (int32, ≥ 0)
 * @param prototypes class prototypes c [C, D] (held constant)
 * @param weight classifier weights W [C, D]
 * @param semanticA semantic map of image a, P pixels of E channels [N, P, E]
 * @param semanticB semantic map of image b, P pixels of E channels [N, P, E]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Xia et al., "Generalizing to Unseen Domains in Diabetic Retinopathy with Disentangled Representations", MICCAI 2024
 */
export function decoLoss(...args: Call<[features: Tensor, target: Tensor, domains: Tensor, prototypes: Tensor, weight: Tensor, semanticA: Tensor, semanticB: Tensor], DecoOptions>): Tensor {
  const [f, target, domains, protos, weight, a, b, { lam, alignWeight, cap, reduction }] = entry.check(args);
  const mixed = f.mul(lam).add(protos.detach().indexSelect(0, target).mul(1 - lam));
  const inv = groupSizes(target, f).mul(groupSizes(domains, f)).reciprocal();
  const w = inv.mul(f.shape[0]).div(inv.sum());
  const align = cosineSimilarity(a, b).neg().add(1).clamp(undefined, cap).mean(-1);
  return applyReduction(hardCe(mixed.matmul(weight.T), target).mul(w).add(align.mul(alignWeight)), { reduction });
}

export const entry = defineLoss({
  id: 'deco',
  fn: decoLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'domains', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'prototypes', shape: ['C', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'semanticA', shape: ['N', 'P', 'E'], dtype: 'float', domain: 'real' },
    { name: 'semanticB', shape: ['N', 'P', 'E'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The catalog\'s reading: CE of a linear classifier on the prototype-interpolated recombined representation, weighted by 1/(n_class·n_domain) from batch counts, plus a capped per-pixel cosine-distance alignment of the pair\'s semantic maps; the disentangling encoder, the recombination and the prototypes are the caller\'s (tensor arguments), the authors\' code not being found.',
});
