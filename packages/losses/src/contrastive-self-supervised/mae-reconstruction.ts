import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  normPixLoss: opt.boolean(true, 'Standardise each target patch by its own mean and (unbiased) variance first (MAE\'s norm_pix_loss).'),
  reduction: opt.reduction(),
};
export type MaeReconstructionOptions = OptionsOf<typeof options>;

/**
 * MAE reconstruction loss: mean-squared error on the masked patches only.
 *
 * With norm_pix_loss, x̃_i = (x_i − mean(x_i))/√(var(x_i) + 1e-6) per patch (unbiased variance, as the MAE code);
 * l_i = mean over pixels of (x̂_i − x̃_i)²; L = Σ_i M_i·l_i / Σ_i M_i over the batch's patches (0 when no patch is
 * masked, never NaN). The random masking (ratio 0.75) happens in the model, which passes its mask here.
 *
 * @param input reconstructed patches x̂ [N, L, P]
 * @param target image patches x [N, L, P]
 * @param mask [N, L], 1 = masked (reconstructed), 0 = visible
 * @returns a scalar (the mean over masked patches), or [N, L] with reduction 'none' (M_i·l_i)
 * @see He et al., "Masked Autoencoders Are Scalable Vision Learners", CVPR 2022; Wang et al., "Hard Patches
 *   Mining for Masked Image Modeling", CVPR 2023
 */
export function maeReconstructionLoss(...args: Call<[input: Tensor, target: Tensor, mask: Tensor], MaeReconstructionOptions>): Tensor {
  const [input, target, mask, { normPixLoss, reduction }] = entry.check(args);
  const t = normPixLoss ? target.sub(target.mean(-1, true)).div(target.var(-1, { keepdim: true }).add(1e-6).sqrt()) : target;
  const m = mask.cast(input.dtype);
  const count = m.sum();
  return applyReduction(input.sub(t).square().mean(-1), { reduction, weight: m, meanOver: count.gt(0).where(count, 1) });
}

export const entry = defineLoss({
  id: 'mae-reconstruction',
  fn: maeReconstructionLoss,
  args: [
    { name: 'input', shape: ['N', 'L', 'P'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'L', 'P'], dtype: 'float', domain: 'real' },
    { name: 'mask', shape: ['N', 'L'], dtype: 'float', domain: 'binary', or: { shape: ['N', 'L'], dtype: 'bool', domain: 'mask' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' divides the masked patches' sum by the number of masked patches (MAE's Σ M·l / Σ M), not by N·L.",
});
