import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { rectifiedSigmoid } from '../regularizer/adaround.js';

const options = {
  zeta: opt.number(1.1, 'ζ: the upper stretch of the rectified sigmoid.', '(1, inf)'),
  gamma: opt.number(-0.1, 'γ: the lower stretch of the rectified sigmoid.', '(-inf, 0)'),
};
export type RectifiedSigmoidAdaroundOptions = OptionsOf<typeof options>;

/**
 * AdaRound's rectified sigmoid, the soft rounding decision h(V) of each weight (the same function as the
 * `adaround` regulariser's exported `rectifiedSigmoid`, which this entry calls).
 *
 * h(V) = clip(σ(V)(ζ − γ) + γ, 0, 1); the stretch past [0, 1] lets h reach exactly 0 and 1 at finite V, and the
 * hard rounding afterwards is 1[h(V) ≥ ½]. σ is bounded, so any V gives a finite value; the clip passes no
 * gradient where h saturates.
 *
 * @param v continuous rounding variables V [...] (the weights' shape)
 * @returns h(V), shaped like v
 * @see Nagel et al., "Up or Down? Adaptive Rounding for Post-Training Quantization", ICML 2020
 */
export function rectifiedSigmoidAdaround(...args: Call<[v: Tensor], RectifiedSigmoidAdaroundOptions>): Tensor {
  const [v, { zeta, gamma }] = entry.check(args);
  return rectifiedSigmoid(v, zeta, gamma);
}

export const entry = defineLoss({
  id: 'rectified-sigmoid-adaround',
  fn: rectifiedSigmoidAdaround,
  args: [{ name: 'v', shape: ['...'], dtype: 'float', domain: 'real' }],
  options,
  output: 'same-as-input',
});
