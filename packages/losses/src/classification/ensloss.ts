import { randn, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lam: opt.number(0, 'λ of the inverse Box–Cox transform that shapes the random derivatives (0: ψ-values −e^Z, Z ~ N(0, 1)).', '(-inf, inf)'),
  generator: opt.generator(),
  noise: opt.tensor(['N'], 'The standard-normal draws Z [N] to use instead of drawing them from `generator` (reproducible tests, replays).'),
  reduction: opt.reduction(),
};
export type EnsLossOptions = OptionsOf<typeof options>;

/**
 * EnsLoss: a random convex, classification-calibrated loss per mini-batch, drawn through its derivative.
 *
 * Margins mᵢ = yᵢfᵢ; random derivative values r = −BC⁻¹_λ(Z) (Z ~ N(0, 1), sorted ascending, clipped at
 * −1) are assigned by margin rank, and ℓᵢ = rᵢ·h(mᵢ) − 1e-6·mᵢ with h(m) = min(m, 1) + log max(m, 1), so
 * dℓᵢ/dmᵢ = ψ(mᵢ) = rᵢ (mᵢ ≤ 1) or rᵢ/mᵢ (mᵢ > 1), minus 1e-6. Each call draws a new ψ from `generator`.
 *
 * Reading: The loss of one 'doubly stochastic' step with the derivative family of the authors' code: N values
 * r = −BC⁻¹_λ(Z), Z ~ N(0, 1), sorted and clipped at −1, the k-th smallest to the sample with the k-th
 * smallest margin (ψ non-decreasing over the batch: a convex implied loss); ψ = r for m ≤ 1, r/m beyond
 * (superlinear tail), minus 1e-6 (ψ < 0: calibrated). The value is the realised loss whose derivative is
 * exactly ψ, r·(min(m, 1) + log max(m, 1)) − 1e-6·m, instead of the code's surrogate sg(ψ)·m (same gradient,
 * meaningless value).
 *
 * @param input binary scores f [N]
 * @param target labels in {−1, +1} [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Dai, "EnsLoss: Stochastic Calibrated Loss Ensembles for Preventing Overfitting in Classification", 2024
 */
export function ensLoss(...args: Call<[input: Tensor, target: Tensor], EnsLossOptions>): Tensor {
  const [input, target, { lam, generator, noise, reduction }] = entry.check(args);
  const m = target.cast(input.dtype).mul(input);
  const z = noise ? noise.cast(input.dtype) : randn([m.shape[0]], { generator, dtype: input.dtype, backend: input.backendName });
  const bcInv = lam === 0 ? z.exp() : z.mul(lam).add(1).clamp(0).pow(1 / lam);
  const r = bcInv.neg().sort(0).values.clamp(-1);
  // The k-th smallest r goes to the sample of the k-th smallest margin (rank = argsort of argsort).
  const psi = r.gather(0, m.detach().argsort(0).argsort(0));
  const h = m.minimum(1).add(m.maximum(1).log());
  return applyReduction(psi.mul(h).sub(m.mul(1e-6)), { reduction });
}

export const entry = defineLoss({
  id: 'ensloss',
  fn: ensLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'sign' },
  ],
  options,
  output: 'per-sample',
  reading:
    "The loss of one 'doubly stochastic' step with the derivative family of the authors' code: N values r = −BC⁻¹_λ(Z), " +
    'Z ~ N(0, 1), sorted and clipped at −1, the k-th smallest to the sample with the k-th smallest margin (ψ non-decreasing ' +
    'over the batch: a convex implied loss); ψ = r for m ≤ 1, r/m beyond (superlinear tail), minus 1e-6 (ψ < 0: ' +
    'calibrated). The value is the realised loss whose derivative is exactly ψ, r·(min(m, 1) + log max(m, 1)) − 1e-6·m, ' +
    "instead of the code's surrogate sg(ψ)·m (same gradient, meaningless value).",
  stochastic: true,
});
