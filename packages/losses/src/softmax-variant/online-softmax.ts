import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
  blockSize: opt.integer(256, 'Elements per step of the recurrence (1 is the paper\'s element-by-element loop; a kernel uses its tile size).', '[1, inf)'),
};
export type OnlineSoftmaxOptions = OptionsOf<typeof options>;

/** A running max that is never ±∞ (an all −∞ block shifts by 0 instead of giving −∞ − (−∞)). */
const finiteOr0 = (m: Tensor) => m.sub(m).eq(0).where(m, 0);

/**
 * Softmax by the online normaliser: one pass computes the max and the normaliser together.
 *
 * The axis is read in blocks B₁, B₂, …; a running pair (m, d) is updated per block by the paper's recurrence
 * mⱼ = max(mⱼ₋₁, max B_j), dⱼ = dⱼ₋₁·exp(mⱼ₋₁ − mⱼ) + Σ_{i∈Bⱼ} exp(xᵢ − mⱼ), then yᵢ = exp(xᵢ − m)/d. The result
 * EQUALS softmax (to rounding). What the structure buys on hardware: the max and the sum share one read of x (two
 * passes over memory instead of the safe softmax's three), partial (m, d) pairs merge associatively, so tiles reduce in
 * parallel, and the same recurrence fuses softmax with top-k or with attention (flash attention). The shifts are
 * constants (detached): softmax does not depend on them, so the gradient is softmax's exactly.
 *
 * @param x scores [..., n]
 * @param opts dim (default −1), blockSize (default 256)
 * @returns softmax(x) along dim, shaped like x
 * @see Milakov & Gimelshein, Online normalizer calculation for softmax, arXiv 2018
 */
export function onlineSoftmax(...args: Call<[x: Tensor], OnlineSoftmaxOptions>): Tensor {
  const [x, { dim, blockSize }] = entry.check(args);
  if (x.dim(dim) === 0) return x.zerosLike(); // an empty axis: nothing to normalise
  const blocks = x.split(blockSize, dim);
  let m = finiteOr0(blocks[0].detach().amax(dim, true));
  let d = blocks[0].sub(m).exp().sum(dim, true);
  for (const block of blocks.slice(1)) {
    const next = finiteOr0(m.maximum(block.detach().amax(dim, true)));
    d = d.mul(m.sub(next).exp()).add(block.sub(next).exp().sum(dim, true));
    m = next;
  }
  return x.sub(m).exp().div(d);
}

export const entry = defineLoss({
  id: 'online-softmax',
  fn: onlineSoftmax,
  args: [{ name: 'x', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
