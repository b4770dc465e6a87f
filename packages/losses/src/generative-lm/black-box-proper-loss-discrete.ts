import { type DType, getBackend, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  includeTargetTerm: opt.boolean(true, 'Add the constant mean_{i<j}[Yᵢ = Yⱼ] (≈ Σ p²), so that the estimate is of Σ_x (q(x) − p(x))² ≥ 0 itself.'),
};
export type BlackBoxProperLossDiscreteOptions = OptionsOf<typeof options>;

/** mean over pairs i < j of [aᵢ = aⱼ] (0 for fewer than two samples). */
const collisionRate = (a: Tensor, dtype: DType): Tensor => {
  const m = a.shape[0];
  const eq = a.unsqueeze(1).eq(a.unsqueeze(0)).cast(dtype).triu(1);
  return eq.sum().div(Math.max((m * (m - 1)) / 2, 1));
};

/**
 * A black-box proper loss for discrete generative models, the degree-2 collision polynomial.
 *
 * L = mean_{i<j}[Xᵢ = Xⱼ] − 2·mean_{i,j}[Xᵢ = Yⱼ] (+ mean_{i<j}[Yᵢ = Yⱼ]), an unbiased U-statistic of Σ_x q(x)² −
 * 2Σ_x q(x)p(x) (+ Σ_x p(x)²) = Σ_x (q(x) − p(x))², minimised iff q = p; it needs only samples X from the model q
 * and Y from the target p. An evaluation metric: not differentiable in the samples.
 *
 * @param input model samples X [M] (int32 outcomes)
 * @param target data samples Y [K] (int32 outcomes)
 * @returns a scalar (float64, or float32 on a backend without float64)
 * @see "Proper losses for discrete generative models", 2025
 */
export function blackBoxProperLossDiscrete(...args: Call<[input: Tensor, target: Tensor], BlackBoxProperLossDiscreteOptions>): Tensor {
  const [input, target, { includeTargetTerm }] = entry.check(args);
  // float64 where the backend stores it (the rates are ratios of counts), else float32.
  const dtype: DType = getBackend(input.backendName).dtypes.includes('float64') ? 'float64' : 'float32';
  const cross = input.unsqueeze(1).eq(target.unsqueeze(0)).cast(dtype).mean();
  const l = collisionRate(input, dtype).sub(cross.mul(2));
  return includeTargetTerm ? l.add(collisionRate(target, dtype)) : l;
}

export const entry = defineLoss({
  id: 'black-box-proper-loss-discrete',
  fn: blackBoxProperLossDiscrete,
  args: [
    { name: 'input', shape: ['M'], dtype: 'int', domain: 'real' },
    { name: 'target', shape: ['K'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'a function of discrete samples (collision indicators)',
  reading: 'The degree-2 instance, the only fully specified one: the U-statistic mean_{i<j}[Xᵢ=Xⱼ] − 2·mean_{i,j}[Xᵢ=Yⱼ] + mean_{i<j}[Yᵢ=Yⱼ]; the general higher-degree construction and the Poisson-sampling CE-like variant are not specified and are not built.',
});
