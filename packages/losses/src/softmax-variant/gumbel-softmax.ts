import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { gumbelSoftmaxSample } from '../parts/gumbel-softmax-sample.js';

const options = {
  tau: opt.number(1, 'Temperature τ (annealed towards 0 by the caller\'s schedule).', '(0, inf)'),
  eps: opt.number(1e-20, 'ε inside both logs of the Gumbel transform.', '(0, inf)'),
  hard: opt.boolean(false, 'One-hot forward with the soft sample\'s gradient (the straight-through estimator).'),
  dim: opt.integer(-1, 'The categorical axis.'),
  noise: opt.tensor(['...'], 'Uniform noise U in [0, 1), shaped like the logits, for a deterministic sample; drawn from `generator` otherwise.'),
  generator: opt.generator(),
};
export type GumbelSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Gumbel-Softmax (Concrete) relaxed sample of a categorical distribution.
 *
 * gₖ = −log(−log(Uₖ + ε) + ε), U ~ Uniform[0, 1); y = softmax((a + g)/τ) by the max-shifted softmax, a the logits (or
 * log π: softmax is shift invariant). As τ → 0 the sample approaches a one-hot sample of softmax(a). With `hard`,
 * y = onehot(argmax y_soft) − sg(y_soft) + y_soft: one-hot forward, gradient of the soft sample.
 *
 * @param logits unnormalised log-probabilities [..., K]
 * @param opts tau (default 1), eps (default 1e-20), hard (default false), dim (default −1), noise, generator
 * @returns a point of the simplex (a one-hot with `hard`) shaped like logits
 * @see Jang, Gu & Poole, Categorical Reparameterization with Gumbel-Softmax, ICLR 2017
 */
export function gumbelSoftmax(...args: Call<[logits: Tensor], GumbelSoftmaxOptions>): Tensor {
  const [logits, { tau, eps, hard, dim, noise, generator }] = entry.check(args);
  return gumbelSoftmaxSample(logits, { tau, eps, hard, dim, noise, generator });
}

export const entry = defineLoss({
  id: 'gumbel-softmax',
  fn: gumbelSoftmax,
  args: [{ name: 'logits', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
  stochastic: true,
});
