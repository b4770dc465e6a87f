import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { checkSameShape, perSampleMse } from '../parts/distill-feature.js';

const options = {
  layerWeight: opt.number(1, 'The weight of this layer\'s term (the total sums the layers\' terms).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type LolcatsAttentionTransferOptions = OptionsOf<typeof options>;

/**
 * LoLCATs attention transfer: a linearised attention layer is trained to reproduce the softmax attention's outputs.
 *
 * ℓ_b = λ·mean over tokens (and heads) and features of (Y_lin − sg(Y_sm))², so 'mean' is the MSE (nn.MSELoss) of
 * one layer's attention outputs — outputs, not attention weights; the stage-1 objective is the sum over layers of
 * these terms (one call per layer). Only the feature maps and window factors are trained; stage 2 is LoRA with
 * next-token cross-entropy (another loss). The softmax attention's outputs are detached.
 *
 * @param input student (linear-attention) outputs Y_lin [N, ...] (e.g. [B, T, D] or [B, H, T, D])
 * @param teacher teacher (softmax-attention) outputs Y_sm, the same shape (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhang et al., "LoLCATs: On Low-Rank Linearizing of Large Language Models", ICLR 2025, arXiv:2410.10254
 */
export function lolcatsAttentionTransferLoss(...args: Call<[input: Tensor, teacher: Tensor], LolcatsAttentionTransferOptions>): Tensor {
  const [input, teacher, { layerWeight, reduction }] = entry.check(args);
  checkSameShape('lolcatsAttentionTransferLoss', input.shape, teacher.shape);
  return applyReduction(perSampleMse(input, teacher).mul(layerWeight), { reduction });
}

export const entry = defineLoss({
  id: 'lolcats-attention-transfer',
  fn: lolcatsAttentionTransferLoss,
  args: [
    { name: 'input', shape: ['N', 'T', 'D'], dtype: 'float', domain: 'real', or: { shape: ['N', 'H', 'T', 'D'], dtype: 'float', domain: 'real' } },
    { name: 'teacher', shape: ['N', 'T', 'D'], dtype: 'float', domain: 'real', stopGradient: true, or: { shape: ['N', 'H', 'T', 'D'], dtype: 'float', domain: 'real' } },
  ],
  options,
  output: 'per-sample',
});
