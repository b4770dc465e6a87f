import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { infoNceLoss } from './infonce.js';

const options = {
  tau: opt.number(0.2, 'τ: the temperature of both terms (MoCo v2\'s 0.2).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SyConOptions = OptionsOf<typeof options>;

/**
 * Sy-CON: a plasticity term and a stability term, each InfoNCE, with symmetric dependence on the current and past
 * models' negatives (continual self-supervised learning, MoCo-based; no trade-off weight).
 *
 * ℓᵢ = InfoNCE(q_i, k_i; past negatives) + InfoNCE(q_i, k^p_i; current negatives), each term
 * −log(e^{a·pos/τ} / (e^{a·pos/τ} + Σ_n e^{a·n/τ})) on L2-normalised vectors (the InfoNCE entry). The past model's
 * keys and both negative queues are detached inside the loss; keep the queues as `KeyQueue`s (infonce's
 * createKeyQueue / enqueueKeys, queue_size 65536) and pass `queuedKeys(queue)`.
 *
 * @param query current-model queries q [N, D]
 * @param key current-model keys of the other view k [N, D]
 * @param pastKey frozen past-model keys of the other view k^p [N, D] (no gradient reaches them)
 * @param pastNegatives past-model negatives [K, D] (no gradient reaches them)
 * @param negatives current-model negatives [K, D] (a queue: no gradient reaches them)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Cha et al., "Sy-CON: Symmetric Contrastive Loss for Continual Self-Supervised Representation Learning", 2023
 */
export function syConLoss(...args: Call<[query: Tensor, key: Tensor, pastKey: Tensor, pastNegatives: Tensor, negatives: Tensor], SyConOptions>): Tensor {
  const [query, key, pastKey, pastNegatives, negatives, { tau, reduction }] = entry.check(args);
  const plasticity = infoNceLoss(query, key, pastNegatives.detach(), { tau, reduction: 'none' });
  const stability = infoNceLoss(query, pastKey.detach(), negatives.detach(), { tau, reduction: 'none' });
  return applyReduction(plasticity.add(stability), { reduction });
}

export const entry = defineLoss({
  id: 'sy-con',
  fn: syConLoss,
  args: [
    { name: 'query', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'key', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'pastKey', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'pastNegatives', shape: ['K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'negatives', shape: ['K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'Plasticity: anchor q, positive k, negatives from the past model; stability: anchor q, positive the past model\'s k^p, negatives from the current model; summed with equal weight (the abstract fixes only the symmetry and the absence of a weight).',
});
