import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  weight: opt.tensor(['C'], 'Class weights w [C] (absent: all 1; the challenge up-weights rare classes, e.g. 2).'),
  clip: opt.number(1e-15, 'Probabilities are clipped to [clip, 1 − clip] (in log space).', '[0, 0.5)'),
};
export type PlasticcWeightedLoglossOptions = OptionsOf<typeof options>;

/**
 * PLAsTiCC's class-weighted, per-class averaged multiclass log loss.
 *
 * L = −(Σ_k w_k·(1/N_k)·Σ_{i: yᵢ=k} log p_ik) / Σ_k w_k over the classes present in the batch (N_k > 0);
 * log p = log_softmax(z) clamped to [log clip, log1p(−clip)].
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar (a per-class average over the batch, not a per-sample sum)
 * @see Allam & McEwen, "Paying Attention to Astronomical Transients: Introducing the Time-series Transformer for Photometric Classification", 2021; The PLAsTiCC team, "The Photometric LSST Astronomical Time-series Classification Challenge (PLAsTiCC)", 2018
 */
export function plasticcWeightedLogloss(...args: Call<[input: Tensor, target: Tensor], PlasticcWeightedLoglossOptions>): Tensor {
  const [input, target, { weight, clip }] = entry.check(args);
  const c = input.shape[1];
  let logp = input.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1);
  if (clip > 0) logp = logp.clamp(Math.log(clip), Math.log1p(-clip));
  const onehot = target.oneHot(c).cast(input.dtype); // [N, C]
  const nk = onehot.sum(0); // N_k
  const present = nk.gt(0).cast(input.dtype);
  const w = (weight ?? input.newOnes([c])).mul(present);
  const perClass = onehot.mul(logp.unsqueeze(-1)).sum(0).div(nk.clamp(1)); // mean log p of class k
  return perClass.mul(w).sum().div(w.sum()).neg();
}

export const entry = defineLoss({
  id: 'plasticc-weighted-logloss',
  fn: plasticcWeightedLogloss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
});
