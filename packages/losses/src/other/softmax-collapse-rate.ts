import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  rule: opt.oneOf(['exact', 'margin'] as const, 'exact', "'exact': p_y rounds to exactly 1 in the logits' dtype (the definition); 'margin': z_y − max_{j≠y} z_j > log(1/ε_dtype) (the cataloguer's approximation)."),
  dtypeEps: opt.number(null, "ε_dtype of the 'margin' rule (null: the logits' dtype, 2⁻²³ ≈ 1.19e-7 for float32, 2⁻⁵² for float64).", '(0, 1)'),
};
export type SoftmaxCollapseRateOptions = OptionsOf<typeof options>;

/**
 * Softmax Collapse (SC) rate: the fraction of samples whose softmax output for the true class is exactly 1 in
 * floating point, so that their cross-entropy gradient vanishes (every other class probability underflowed
 * or was absorbed).
 *
 * SC = mean_i 1[fl(softmax(zᵢ))_{yᵢ} = 1], the softmax evaluated in the logits' own dtype (max-shifted, as
 * every softmax here); the 'margin' rule approximates it by zᵢ,y − max_{j≠y} zᵢ,j > log(1/ε). Reading: the
 * exact floating-point test is the default; the margin rule is the catalog's stated approximation.
 *
 * @param input logits z [N, C]
 * @param target class indices y [N] (int32)
 * @returns a scalar
 * @see Prieto et al., "Grokking at the Edge of Numerical Stability", ICLR 2025
 */
export function softmaxCollapseRate(...args: Call<[input: Tensor, target: Tensor], SoftmaxCollapseRateOptions>): Tensor {
  const [input, target, { rule, dtypeEps }] = entry.check(args);
  const z = input.detach();
  const idx = target.unsqueeze(1);
  if (rule === 'exact') return z.softmax(-1).gather(1, idx).squeeze(1).eq(1).cast(z.dtype).mean();
  const eps = dtypeEps ?? (z.dtype === 'float64' ? 2 ** -52 : 2 ** -23);
  const others = z.scatter(1, idx, -Infinity).amax(-1);
  return z.gather(1, idx).squeeze(1).sub(others).gt(Math.log(1 / eps)).cast(z.dtype).mean();
}

export const entry = defineLoss({
  id: 'softmax-collapse-rate',
  fn: softmaxCollapseRate,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'a rate of floating-point events (counts)',
  reading: 'SC rate = fraction of samples whose true-class softmax probability is exactly 1 in the logits\' dtype; the margin rule z_y − max_{j≠y} z_j > log(1/ε) is offered as the catalog\'s approximation.',
});
