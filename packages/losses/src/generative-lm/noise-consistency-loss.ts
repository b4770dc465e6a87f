import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  boundaryWeight: opt.number(1, 'λ: the weight of the boundary term (used when boundaryOutput and base are given; the catalog gives none).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type NoiseConsistencyLossOptions = OptionsOf<typeof options>;

/** Per-sample mean squared difference over all but the first dim → [N]. */
const sampleMse = (a: Tensor, b: Tensor): Tensor => {
  const d = a.sub(b).square();
  return d.ndim > 1 ? d.reshape([d.shape[0], -1]).mean(-1) : d;
};

/**
 * Noise consistency loss (NCT) for adding a control c to a one-step generator f_θ through an adapter φ, trained
 * in the generator's noise space only. Pairs (z, c) are coupled by c = control(f_θ(z)); a variance-preserving
 * path z_t = √(1 − σ_t²)·z + σ_t·ε (σ_0 = 0, σ_1 = 1, z_t ~ N(0, I) for every t) makes z_t less and less dependent
 * on c. The adapted generator is made consistent along that path, from the boundary where it must reproduce the
 * coupled sample to the independent end where it must follow p(x | c):
 *
 *   ℓᵢ = d(f_{θ,φ}(z_t, c), sg f_{θ,φ}(z_{t′}, c)) + λ·d(f_{θ,φ}(z, c), sg f_θ(z)),  t′ < t, same ε,
 *
 * d = mean squared difference per sample. The caller runs the generator: it passes the four outputs; the second
 * and fourth are held constant.
 *
 * @param output f_{θ,φ}(z_t, c) [N, ...]
 * @param target f_{θ,φ}(z_{t′}, c) at the less noisy point of the same path [N, ...] (held constant)
 * @param boundaryOutput optional f_{θ,φ}(z, c) at t = 0 [N, ...]
 * @param base optional f_θ(z), the frozen generator's sample the control was read from [N, ...] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Luo, Xue, Hu & Tang, "Noise Consistency Training: A Native Approach for One-Step Generator in Learning Additional Controls", 2025, arXiv:2506.19741
 */
export function noiseConsistencyLoss(...args: Call<[output: Tensor, target: Tensor, boundaryOutput?: Tensor, base?: Tensor], NoiseConsistencyLossOptions>): Tensor {
  const [output, target, boundaryOutput, base, { boundaryWeight, reduction }] = entry.check(args);
  if (!boundaryOutput !== !base) throw new ArgumentError('noiseConsistencyLoss', 'boundaryOutput and base: expected both (the boundary term) or neither');
  const consistency = sampleMse(output, target.detach());
  const values = boundaryOutput && base ? consistency.add(sampleMse(boundaryOutput, base.detach()).mul(boundaryWeight)) : consistency;
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'noise-consistency-loss',
  fn: noiseConsistencyLoss,
  args: [
    { name: 'output', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'boundaryOutput', shape: ['N', '...'], dtype: 'float', domain: 'real', optional: true },
    { name: 'base', shape: ['N', '...'], dtype: 'float', domain: 'real', optional: true, stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'A consistency-training reading of the abstract in the noise space: a squared-error consistency between the adapted generator at two points z_t, z_{t′} (t′ < t) of one variance-preserving noise path (stop-gradient on the less noisy one) plus a boundary term tying f_{θ,φ}(z, c) to the frozen f_θ(z) that c was read from. github.com/Luo-Yihong/NCT is not in the search index, so the distance, the schedule and the weighting are not the authors\' code; the generator, adapter and control model are the caller\'s (tensor arguments).',
});
