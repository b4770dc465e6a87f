import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { hardCrossEntropy } from '../parts/distill-kl.js';

const options = {
  lambda: opt.number(1, 'λ: the weight of the aspect term. The paper leaves it unstated; 1 weighs the class and aspect terms equally.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type MultiAspectKdOptions = OptionsOf<typeof options>;

/**
 * Multi-aspect KD: class cross-entropy plus soft-target BCE on aspect logits distilled from an MLLM's answers.
 *
 * ℓᵢ = CE(z_cls,i, yᵢ) + λ·mean_a [softplus(z_asp,ia) − t_ia·z_asp,ia] (BCE-with-logits in its stable softplus form,
 * finite at logits of ±1e4 and targets of 0 and 1). The aspect targets t ∈ [0, 1] (e.g. a softmax over the MLLM's
 * yes/no logits) are extracted by the caller and held constant.
 *
 * @param input class logits z_cls [N, C]
 * @param target class indices [N] (int32)
 * @param aspects aspect logits z_asp [N, A]
 * @param aspectTargets soft aspect targets t [N, A] in [0, 1] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Lee et al., "Multi-aspect Knowledge Distillation with Large Language Model", 2025, arXiv:2501.13341
 */
export function multiAspectKdLoss(...args: Call<[input: Tensor, target: Tensor, aspects: Tensor, aspectTargets: Tensor], MultiAspectKdOptions>): Tensor {
  const [input, target, aspects, aspectTargets, { lambda, reduction }] = entry.check(args);
  const bce = aspects.softplus().sub(aspectTargets.detach().mul(aspects)).mean(-1);
  return applyReduction(hardCrossEntropy(input, target).add(bce.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'multi-aspect-kd',
  fn: multiAspectKdLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'aspects', shape: ['N', 'A'], dtype: 'float', domain: 'logits' },
    { name: 'aspectTargets', shape: ['N', 'A'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'CE(z_cls, y) + λ·mean over aspects of BCE-with-logits(z_asp, t) with soft targets given as probabilities; λ = 1 by default (unstated in the paper).',
});
