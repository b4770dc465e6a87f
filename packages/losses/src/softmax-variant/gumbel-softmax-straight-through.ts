import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { gumbelSoftmaxSample } from '../parts/gumbel-softmax-sample.js';

const options = {
  tau: opt.number(1, 'Temperature τ of the soft sample whose gradient is used (token-pruning papers anneal it to about 0.1–0.5).', '(0, inf)'),
  eps: opt.number(1e-10, 'ε inside both logs of the Gumbel transform.', '(0, inf)'),
  dim: opt.integer(-1, 'The categorical axis.'),
  noise: opt.tensor(['...'], 'Uniform noise U in [0, 1), shaped like the logits, for a deterministic sample; drawn from `generator` otherwise.'),
  generator: opt.generator(),
};
export type GumbelSoftmaxStraightThroughOptions = OptionsOf<typeof options>;

/**
 * Straight-through Gumbel-Softmax: a hard one-hot sample forward, the relaxed sample's gradient backward.
 *
 * y_soft = softmax((π + g)/τ), g = −log(−log(U + ε) + ε) as in Gumbel-Softmax; y_hard = onehot(argmax y_soft);
 * y = y_hard − sg(y_soft) + y_soft (computed as hard.sub(soft.detach()).add(soft)). The forward is exactly the one-hot
 * (up to the rounding of (1 − y) + y); the gradient is that of y_soft. For keep/drop token or window pruning, K = 2 and
 * the keep-mask is y[..., keep].
 *
 * @param logits unnormalised log-probabilities [..., K]
 * @param opts tau (default 1), eps (default 1e-10), dim (default −1), noise, generator
 * @returns a one-hot sample shaped like logits
 * @see Jang, Gu & Poole, Categorical Reparameterization with Gumbel-Softmax, ICLR 2017; and, for its use in pruning,
 *   When Less is Enough: Adaptive Token Reduction for Efficient Image Representation, arXiv 2025; Li et al., Adaptive
 *   Window Pruning for Efficient Local Motion Deblurring, ICLR 2024
 */
export function gumbelSoftmaxStraightThrough(...args: Call<[logits: Tensor], GumbelSoftmaxStraightThroughOptions>): Tensor {
  const [logits, { tau, eps, dim, noise, generator }] = entry.check(args);
  return gumbelSoftmaxSample(logits, { tau, eps, hard: true, dim, noise, generator });
}

export const entry = defineLoss({
  id: 'gumbel-softmax-straight-through',
  fn: gumbelSoftmaxStraightThrough,
  args: [{ name: 'logits', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
  stochastic: true,
  nonDifferentiable: 'The straight-through estimator: the forward is a one-hot (piecewise constant in the logits) and the backward is, by definition, the soft sample\'s gradient, so no finite difference can match it; the fixtures check that gradient against PyTorch.',
});
