import { eye, grad, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform } from '../parts/class-stats.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { hardCe } from '../parts/pseudo-label-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0): w_c = (1/n_c)/mean_k(1/n_k); absent: uniform weights.'),
  lambda: opt.number(1, 'λ: weight of the feature-separability term (the catalog leaves it open; 1 weighs both terms alike).', '[0, inf)'),
  tau: opt.number(0.1, 'τ: temperature of the separability term on cosine similarities (SupCon\'s usual 0.1).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SratOptions = OptionsOf<typeof options>;

/** log Σ_{j ∈ mask} exp(s_ij) per row; a row with an empty mask gives a finite dummy value (the caller masks it out). */
function maskedLogsumexp(s: Tensor, mask: Tensor): Tensor {
  const keep = mask.logicalOr(mask.any(-1, true).logicalNot());
  return s.maskedFill(keep.logicalNot(), -Infinity).logsumexp(-1);
}

/**
 * SRAT: class-reweighted adversarial cross-entropy plus a feature-separability term on the adversarial features.
 *
 * ℓᵢ = w_{yᵢ}·CE(zᵢ, yᵢ) + λ·sepᵢ with w_c = (1/n_c) / mean_k(1/n_k), and
 * sepᵢ = log Σ_{a≠i} exp(s_ia) − log Σ_{p≠i, y_p=yᵢ} exp(s_ip), s = cos(hᵢ, h_j)/τ (0 when i has no positive in the
 * batch): it pulls same-class adversarial features together and pushes the other classes away. Both log-sums are
 * max-shifted. z and h are the model's logits and features on PGD examples x′ (ε = 8/255, 10 steps on CE), made by
 * the caller (`sratPgdExamples` runs that attack on a loss callback).
 *
 * @param input logits on the adversarial examples [N, C]
 * @param target class indices [N] (int32)
 * @param features features of the adversarial examples h(x′) [N, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Imbalanced Adversarial Training with Reweighting", ICDM 2022
 */
export function sratLoss(...args: Call<[input: Tensor, target: Tensor, features: Tensor], SratOptions>): Tensor {
  const [input, target, features, { classCounts, lambda, tau, reduction }] = entry.check(args);
  const inv = countsOrUniform('sratLoss', classCounts, input, input.shape[1]).reciprocal();
  const w = inv.div(inv.mean()).gather(0, target);
  const n = features.shape[0];
  const s = cosineSimilarityMatrix(features, features).div(tau);
  const others = eye(n, n, { dtype: 'bool', backend: target.backendName }).logicalNot();
  const positives = target.unsqueeze(-1).eq(target.unsqueeze(0)).logicalAnd(others);
  const hasPositive = positives.any(-1);
  const sep = hasPositive.where(maskedLogsumexp(s, others).sub(maskedLogsumexp(s, positives)), 0);
  return applyReduction(hardCe(input, target).mul(w).add(sep.mul(lambda)), { reduction });
}

/**
 * L∞ PGD from x (no random start): x′ ← clip_{[x−ε, x+ε] ∩ [lo, hi]}(x′ + η·sign ∇_{x′} loss(x′)), `steps` times, with
 * `loss` the summed loss of the model at x′ (a callback; CE for SRAT). Returns x′, detached.
 */
export function sratPgdExamples(loss: (x: Tensor) => Tensor, x: Tensor, { eps = 8 / 255, steps = 10, stepSize = 2 / 255, lo = 0, hi = 1 } = {}): Tensor {
  const x0 = x.detach();
  let adv = x0;
  for (let t = 0; t < steps; t++) {
    const leaf = adv.detach().requiresGrad_();
    const [g] = grad(loss(leaf), [leaf]);
    adv = leaf.detach().add(g!.sign().mul(stepSize)).clamp(x0.sub(eps), x0.add(eps)).clamp(lo, hi);
  }
  return adv.detach();
}

export const entry = defineLoss({
  id: 'srat',
  fn: sratLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'Inverse-frequency reweighted CE on the adversarial logits plus λ times a supervised-contrastive separability term (log of all-others over same-class similarity mass, cosine/τ) on the adversarial features; the PGD examples are the caller\'s (their logits and features are the arguments), and the weight rule 1/n_c and this L_sep are our choices where the paper\'s are not in the abstract.',
});
