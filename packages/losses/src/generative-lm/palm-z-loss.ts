import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  c: opt.number(1e-4, 'c: the weight of the penalty (PaLM and the small-scale-proxies paper use 1e-4).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type PalmZLossOptions = OptionsOf<typeof options>;

/**
 * The z-loss: a penalty on the log-partition of the output logits, keeping log Z near 0.
 *
 * ℓ_t = c·(log Z_t)², log Z_t = logsumexp_v z_tv (max-shifted), one value per token; 'mean' averages over the
 * tokens where `mask` is set (all when absent). Added to the token cross-entropy (L = CE + L_z); its gradient
 * is 2c·log Z·softmax(z), zero where log Z = 0. Not the spherical-family Z-loss of de Brébisson & Vincent.
 *
 * @param input logits [N, V] or [N, T, V] (one row per token)
 * @param mask optional [N] / [N, T] (bool or 0/1): the tokens that count (non-padding)
 * @returns a scalar, or [N] / [N, T] with reduction 'none' (0 at masked tokens)
 * @see Wortsman et al., "Small-scale proxies for large-scale Transformer training instabilities", ICLR 2024,
 *   arXiv:2309.14322; Chowdhery et al., "PaLM", 2022, arXiv:2204.02311 (§5)
 */
export function palmZLoss(...args: Call<[input: Tensor, mask?: Tensor], PalmZLossOptions>): Tensor {
  const [input, mask, { c, reduction }] = entry.check(args);
  const values = input.logsumexp(-1).square().mul(c);
  if (!mask) return applyReduction(values, { reduction });
  const m = mask.dtype === 'bool' ? mask : mask.ne(0);
  return applyReduction(m.where(values, 0), { reduction, meanOver: m.cast(input.dtype).sum() });
}

export const entry = defineLoss({
  id: 'palm-z-loss',
  fn: palmZLoss,
  args: [
    { name: 'input', shape: ['N', '...', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'mask', shape: ['N', '...'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', '...'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
});
