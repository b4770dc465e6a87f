import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ganValues } from '../parts/gen-gan.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type GanLeastSquaresOptions = OptionsOf<typeof options>;

/**
 * Least-squares GAN loss (LSGAN, targets a = 0, b = c = 1).
 *
 * Discriminator step (dReal given): ℓᵢ = ½(D(xᵢ) − 1)² + ½D(G(zᵢ))². Generator step (dReal left out): ℓᵢ = ½(D(G(zᵢ)) − 1)².
 * Each value pairs D(xᵢ) with D(G(zᵢ)), so 'mean' is mean over real plus mean over generated, as in the paper.
 * The caller detaches the generated samples for the discriminator step (the loss only sees D's outputs).
 *
 * @param input discriminator outputs on generated samples D(G(z)) [N]
 * @param dReal optional discriminator outputs on real samples D(x) [N]: present, the discriminator's loss
 * @returns a scalar, or [N] with reduction 'none'
 * @see Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017, arXiv:1611.04076
 */
export function ganLeastSquaresLoss(...args: Call<[input: Tensor, dReal?: Tensor], GanLeastSquaresOptions>): Tensor {
  const [input, dReal, { reduction }] = entry.check(args);
  return applyReduction(ganValues('least-squares', input, dReal ?? null), { reduction });
}

export const entry = defineLoss({
  id: 'gan-least-squares',
  fn: ganLeastSquaresLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'dReal', shape: ['N'], dtype: 'float', domain: 'logits', optional: true },
  ],
  options,
  output: 'per-sample',
});
