import { rand, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  mode: opt.oneOf(['smoothing', 'stochastic'], 'smoothing', '\'smoothing\' (ASLS, deterministic) or \'stochastic\' (SLP: perturb a whole image\'s label with probability aₙ).'),
  beta: opt.number(0.5, 'β of the stochastic mode: a perturbed label is (1 − 2β)y + β (0.5 = the maximum-entropy label).', '[0, 1]'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type ScBceOptions = OptionsOf<typeof options>;

/**
 * Self-calibrating binary cross-entropy (SC-BCE) with adaptive label perturbation: dense binary
 * BCE against a per-image perturbed target, so that each image's confidence tracks its accuracy.
 *
 * 'smoothing': t̃ = (1 − aₙ) y + aₙ/2 (smoothing toward the maximum-entropy label 0.5; the code's
 * `stochastic_label_smoothing` with b = aₙ/2). 'stochastic': with probability aₙ (one draw per
 * image) t̃ = (1 − 2β) y + β, else y (the code's `stochastic_label_perturbation`). Per pixel,
 * ℓ = BCE_with_logits(z, t̃) = softplus(z) − t̃ z (stable: finite at z = ±1e4). The per-image levels
 * aₙ are learned outside the loss (the official update: aₙ += η((−2 BCEₙ + Hₙ)/β + λ min(1 − acc − β aₙ, 0)),
 * clipped to [0, 1/(2β))).
 *
 * Reading: Given the per-image level aₙ (learned outside the loss), mode 'smoothing' (default) uses
 * t̃ = (1 − aₙ)y + aₙ/2; mode 'stochastic' follows the official code (Carlisle-Liu/ASLP): with
 * probability aₙ per image the label becomes (1 − 2β)y + β (β = 0.5 here, the maximum-entropy label;
 * the code's CLI default is β = 2), else y. Loss: mean BCE with logits. The aₙ update rule is
 * described in the docs, not implemented.
 *
 * @param logits dense binary logits [N, H, W]
 * @param target binary masks [N, H, W] (0/1; soft masks in [0, 1] are accepted)
 * @param level perturbation level aₙ in [0, 1] per image [N]
 * @returns a scalar, or [N, H, W] with reduction 'none'
 * @see Liu et al., "Model Calibration in Dense Classification with Adaptive Label Perturbation", ICCV 2023
 */
export function scBce(...args: Call<[logits: Tensor, target: Tensor, level: Tensor], ScBceOptions>): Tensor {
  const [logits, target, level, { mode, beta, generator, reduction }] = entry.check(args);
  const a = level.reshape([level.shape[0], ...logits.shape.slice(1).map(() => 1)]);
  let t: Tensor;
  if (mode === 'smoothing') {
    t = target.mul(a.neg().add(1)).add(a.mul(0.5));
  } else {
    const hit = rand([level.shape[0]], { generator, dtype: logits.dtype, backend: logits.backendName }).lt(level).reshape(a.shape);
    t = hit.where(target.mul(1 - 2 * beta).add(beta), target);
  }
  return applyReduction(logits.softplus().sub(t.mul(logits)), { reduction });
}

export const entry = defineLoss({
  id: 'sc-bce',
  fn: scBce,
  args: [
    { name: 'logits', shape: ['N', 'H', 'W'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'H', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'level', shape: ['N'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'elementwise',
  reading: "Given the per-image level aₙ (learned outside the loss), mode 'smoothing' (default) uses t̃ = (1 − aₙ)y + aₙ/2; mode 'stochastic' follows the official code (Carlisle-Liu/ASLP): with probability aₙ per image the label becomes (1 − 2β)y + β (β = 0.5 here, the maximum-entropy label; the code's CLI default is β = 2), else y. Loss: mean BCE with logits. The aₙ update rule is described in the docs, not implemented.",
});
