import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  eps: opt.number(1e-5, 'ε added to the variance (LayerNorm\'s).', '(0, inf)'),
};
export type NonScalingLayernormOptions = OptionsOf<typeof options>;

/**
 * Non-scaling LayerNorm (NsLN): LayerNorm over the last dim without the learnable per-channel scale γ, so
 * that outlier channels cannot be amplified by it.
 *
 * y = (x − mean(x)) / √(Var(x) + ε) + β, statistics over the last dim (population variance, as LayerNorm);
 * β is optional (the catalog's `bias`: pass it to include the shift, leave it out for none). Finite for any
 * input: the variance is at least 0 and ε > 0.
 *
 * @param input activations x [..., C]
 * @param bias the learnable shift β [C] (optional)
 * @returns the normalised activations, shaped like input
 * @see Dao et al., "Improved Training Technique for Latent Consistency Models", ICLR 2025
 */
export function nonScalingLayernorm(...args: Call<[input: Tensor, bias?: Tensor], NonScalingLayernormOptions>): Tensor {
  const [input, bias, { eps }] = entry.check(args);
  const y = input.sub(input.mean(-1, true)).div(input.var(-1, { correction: 0, keepdim: true }).add(eps).sqrt());
  return bias ? y.add(bias) : y;
}

export const entry = defineLoss({
  id: 'non-scaling-layernorm',
  fn: nonScalingLayernorm,
  args: [
    { name: 'input', shape: ['...', 'C'], dtype: 'float', domain: 'real' },
    { name: 'bias', shape: ['C'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'same-as-input',
  reading: 'LayerNorm over the last dim with γ removed and β kept as an optional argument; population variance and ε inside the square root, as torch.nn.LayerNorm.',
});
