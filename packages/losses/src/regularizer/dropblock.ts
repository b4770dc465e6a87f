import { bernoulli, type Generator, maxPool2d, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  dropProb: opt.number(0.1, 'The fraction of units to drop (the paper raises it from 0.05 to 0.2 with depth).', '[0, 1)'),
  blockSize: opt.integer(5, 'The side of each dropped square (clipped to min(H, W)).', '[1, inf)'),
  training: opt.boolean(true, 'false: the identity (DropBlock is off at evaluation).'),
  seeds: opt.tensor(['B', 'C', 'H', 'W'], 'Block centres (0/1) to use instead of drawing them: for tests and replays.', 'any'),
  generator: opt.generator(),
};
export type DropblockOptions = OptionsOf<typeof options>;

/** The centre of a k-block at (i, j) covers rows i − ⌊k/2⌋ … i + ⌊(k−1)/2⌋; seeds are drawn only where that fits. */
function validRegion(h: number, w: number, k: number, like: Tensor): Tensor {
  const rows = like.newOnes([h]).cumsum(0).sub(1);
  const cols = like.newOnes([w]).cumsum(0).sub(1);
  const inRange = (t: Tensor, n: number) => t.ge(Math.floor(k / 2)).logicalAnd(t.lt(n - Math.floor((k - 1) / 2)));
  return inRange(rows, h).unsqueeze(-1).logicalAnd(inRange(cols, w)).cast(like.dtype);
}

/**
 * Draws DropBlock's keep mask [B, C, H, W] (1 = keep): block centres ~ Bernoulli(γ) in the valid region,
 * γ = (p/k²)·HW/((H − k + 1)(W − k + 1)), each centre zeroing the k × k block around it. The data-side step of
 * `dropblock`, exported so that a training loop can draw (and record) masks with its own seeded generator.
 */
export function dropBlockMask(shape: readonly number[], { dropProb = 0.1, blockSize = 5, generator, like }: { dropProb?: number; blockSize?: number; generator?: Generator; like: Tensor }): Tensor {
  const [, , h, w] = shape;
  const k = Math.min(blockSize, h, w);
  const gamma = (dropProb / (k * k)) * (h * w) / ((h - k + 1) * (w - k + 1));
  const seeds = bernoulli(like.newFull(shape as number[], Math.min(gamma, 1)), { generator });
  return blockMaskFromSeeds(seeds, k);
}

/** 1 − (k × k max-pool of the seeds in the valid region), the block starting ⌊(k−1)/2⌋ above and left of its centre. */
export function blockMaskFromSeeds(seeds: Tensor, k: number): Tensor {
  const [, , h, w] = seeds.shape;
  const valid = seeds.mul(validRegion(h, w, k, seeds));
  // Output (i, j) is dropped when a seed lies in rows i − ⌊k/2⌋ … i + ⌊(k−1)/2⌋: pad ⌊(k−1)/2⌋ before, ⌊k/2⌋ after
  // (asymmetric for even k), then a stride-1 max-pool. Seeds are 0/1, so zero padding acts as −∞.
  const lo = Math.floor((k - 1) / 2);
  const hi = Math.floor(k / 2);
  const padded = valid.pad([lo, hi, lo, hi]);
  return maxPool2d(padded, { kernelSize: k, stride: 1 }).neg().add(1);
}

/**
 * DropBlock: structured dropout that zeroes contiguous k × k regions of a feature map, then rescales.
 *
 * out = x·M·numel(M)/(Σ M + 1e−7), M = dropBlockMask(...) (see there; given `seeds` replace the Bernoulli draw).
 * The 1e−7 (timm's) keeps an all-dropped mask finite. At evaluation (`training: false`) it is the identity. It is
 * differentiable in x (a fixed mask times x); the mask itself is a draw, not a function of x.
 *
 * @param input feature map x [B, C, H, W]
 * @returns the shape of x
 * @see Ghiasi, Lin & Le, "DropBlock: A regularization method for convolutional networks", NeurIPS 2018 (used by
 *   "Balanced Multi-Task Attention for Satellite Image Classification", 2025)
 */
export function dropblock(...args: Call<[input: Tensor], DropblockOptions>): Tensor {
  const [input, { dropProb, blockSize, training, seeds, generator }] = entry.check(args);
  if (!training || dropProb === 0) return input;
  const [, , h, w] = input.shape;
  const mask = seeds
    ? blockMaskFromSeeds(seeds.cast(input.dtype), Math.min(blockSize, h, w))
    : dropBlockMask(input.shape, { dropProb, blockSize, generator, like: input.detach() });
  return input.mul(mask).mul(mask.sum().add(1e-7).reciprocal().mul(mask.size));
}

export const entry = defineLoss({
  id: 'dropblock',
  fn: dropblock,
  args: [{ name: 'input', shape: ['B', 'C', 'H', 'W'], dtype: 'float', domain: 'real' }],
  options,
  output: 'same-as-input',
  stochastic: true,
});
