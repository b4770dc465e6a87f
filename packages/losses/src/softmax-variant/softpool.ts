import { ArgumentError, arange, ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  kernel: opt.size(2, 'Window size: k, or [kh, kw].'),
  stride: opt.size(null, 'Step between windows: s, or [sh, sw]; null: the kernel size.'),
};
export type SoftPoolOptions = OptionsOf<typeof options>;

const pair = (v: number | readonly [number, number]): readonly [number, number] => (typeof v === 'number' ? [v, v] : v);

/**
 * SoftPool: pooling by a softmax-weighted sum over each window, between max pooling and average pooling.
 *
 * out = Σ_{i∈R} w_i a_i with w_i = exp(a_i)/Σ_{j∈R} exp(a_j), per channel and window R. Stable form: each window's
 * weights are core's max-shifted softmax (the per-window max, so no window underflows against a global max), finite at
 * activations of ±1e4. The windows are gathered with indexSelect from index tensors built by arange (no padding; the
 * output size is ⌊(H − kh)/sh⌋ + 1 by ⌊(W − kw)/sw⌋ + 1, as avg_pool2d's), so the gradient is indexSelect's scatter.
 *
 * @param a activations [B, C, H, W]
 * @param opts kernel (default 2), stride (default: the kernel size)
 * @returns the pooled map [B, C, H', W'] (a transform, not a loss: there is no reduction)
 * @see Stergiou et al., Refining activation downsampling with SoftPool, ICCV 2021
 */
export function softPool(...args: Call<[a: Tensor], SoftPoolOptions>): Tensor {
  const [a, { kernel, stride }] = entry.check(args);
  const [kh, kw] = pair(kernel);
  const [sh, sw] = pair(stride ?? kernel);
  if (![kh, kw, sh, sw].every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ArgumentError('softPool', `kernel and stride must be positive integers, got kernel ${[kh, kw]}, stride ${[sh, sw]}`);
  }
  const [b, c, h, w] = a.shape;
  const [oh, ow] = [Math.floor((h - kh) / sh) + 1, Math.floor((w - kw) / sw) + 1];
  if (oh <= 0 || ow <= 0) throw new ShapeError('softPool', `kernel ${kh}×${kw} does not fit the input ${h}×${w}`);
  const on = { backend: a.backendName };
  // Flat position (y·sh + i)·W + (x·sw + j) of window offset (i, j) at output (y, x): [kh, kw, oh, ow].
  const rows = arange(kh, undefined, 1, on).reshape([kh, 1]).add(arange(oh, undefined, 1, on).mul(sh).reshape([1, oh]));
  const cols = arange(kw, undefined, 1, on).reshape([kw, 1]).add(arange(ow, undefined, 1, on).mul(sw).reshape([1, ow]));
  const index = rows.mul(w).reshape([kh, 1, oh, 1]).add(cols.reshape([1, kw, 1, ow])).reshape([-1]);
  const windows = a.reshape([b, c, h * w]).indexSelect(2, index).reshape([b, c, kh * kw, oh * ow]);
  return windows.softmax(2).mul(windows).sum(2).reshape([b, c, oh, ow]);
}

export const entry = defineLoss({
  id: 'softpool',
  fn: softPool,
  args: [{ name: 'a', shape: ['B', 'C', 'H', 'W'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'batch',
});
