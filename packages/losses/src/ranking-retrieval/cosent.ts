import { concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(20, 'λ: the scale of the cosine differences.', '(0, inf)'),
};
export type CosentOptions = OptionsOf<typeof options>;

/**
 * CoSENT: a ranking loss on the cosine similarities of sentence pairs, ordered by their gold scores.
 *
 * ℓ = log(1 + Σ_{(a,b): y_a > y_b} exp(λ·(c_b − c_a))), computed as logsumexp over the masked difference matrix
 * with one extra 0 entry (max-shifted; finite at any scale). Ties in y make no pair.
 *
 * @param input cosine similarities c [P] of P sentence pairs
 * @param target gold similarity scores y [P]
 * @returns a scalar
 * @see Su, "CoSENT" (2022); Li et al., "Conan-embedding: General Text Embedding with More and Better Negative Samples", 2024
 */
export function cosentLoss(...args: Call<[input: Tensor, target: Tensor], CosentOptions>): Tensor {
  const [c, y, { lambda }] = entry.check(args);
  const diff = c.unsqueeze(0).sub(c.unsqueeze(1)).mul(lambda); // [a, b]: λ(c_b − c_a)
  const pair = y.unsqueeze(1).gt(y.unsqueeze(0));
  const masked = pair.where(diff, -Infinity).reshape([-1]);
  return concat([masked, c.newZeros([1])]).logsumexp(0);
}

export const entry = defineLoss({
  id: 'cosent',
  fn: cosentLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
