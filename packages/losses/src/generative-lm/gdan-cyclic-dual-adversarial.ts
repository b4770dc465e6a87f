import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ganValues } from '../parts/gen-gan.js';
import { applyReduction } from '../reduce.js';

const options = {
  player: opt.oneOf(['generator', 'discriminator'] as const, 'generator', "'generator': the loss of G and R together (they fool D, plus the cyclic term); 'discriminator': D's loss."),
  lambda: opt.number(1, 'λ: the weight of the cyclic-consistency term (not given in the abstract; 1).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type GdanCyclicDualAdversarialOptions = OptionsOf<typeof options>;

/**
 * GDAN's cyclic-consistency and dual adversarial losses (generator G, regressor R, discriminator D), BCE reading.
 *
 * D scores the real pair (x, a_y) as real and both the generated pair (G(a, z), a) and the regressed pair (x, R(x))
 * as fake: L_D = softplus(−D(x, a_y)) + softplus(D(G(a, z), a)) + softplus(D(x, R(x))). G and R fool D and R maps
 * G's features back to their embedding: L_{G,R} = softplus(−D(G(a, z), a)) + softplus(−D(x, R(x))) +
 * λ‖R(G(a, z)) − a‖². The four networks are the caller's; the caller detaches G's and R's outputs for D's step.
 *
 * @param input D's logits on the generated pairs D(G(a, z), a) [N]
 * @param dRegressed D's logits on the regressed pairs D(x, R(x)) [N]
 * @param dReal D's logits on the real pairs D(x, a_y) [N] (used by the discriminator)
 * @param cycled the regressed embedding of the generated features R(G(a, z)) [N, A]
 * @param attributes the class embeddings a [N, A]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Huang, Wang, Yu & Wang, "Generative Dual Adversarial Network for Generalized Zero-shot Learning", CVPR 2019
 */
export function gdanCyclicDualAdversarial(...args: Call<[input: Tensor, dRegressed: Tensor, dReal: Tensor, cycled: Tensor, attributes: Tensor], GdanCyclicDualAdversarialOptions>): Tensor {
  const [input, dRegressed, dReal, cycled, attributes, { player, lambda, reduction }] = entry.check(args);
  if (player === 'discriminator') return applyReduction(ganValues('nonsaturating', input, dReal).add(dRegressed.softplus()), { reduction });
  const cyc = cycled.sub(attributes).square().sum(-1);
  const values = ganValues('nonsaturating', input, null).add(ganValues('nonsaturating', dRegressed, null)).add(cyc.mul(lambda));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'gdan-cyclic-dual-adversarial',
  fn: gdanCyclicDualAdversarial,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'dRegressed', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'dReal', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'cycled', shape: ['N', 'A'], dtype: 'float', domain: 'real' },
    { name: 'attributes', shape: ['N', 'A'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The BCE-with-logits instance of the dual adversarial game (real pairs vs generated and regressed pairs) with the squared-L2 cyclic term weighted by λ = 1; the abstract gives neither the GAN variant nor the weights.',
});
