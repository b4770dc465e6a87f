/**
 * The GAN family's per-sample objectives, one function behind gan-hinge, gan-least-squares, gan-nonsaturating,
 * gan-wasserstein-gp, f-clswgan and gdan: the discriminator's loss when its outputs on real samples are given,
 * the generator's otherwise. The discriminator outputs on real and generated samples pair up by batch index, so
 * the per-sample value is the sum of the two terms and 'mean' equals mean_real + mean_fake of the papers.
 */
import type { Tensor } from '@graft/core';

export type GanKind = 'hinge' | 'least-squares' | 'nonsaturating' | 'minimax' | 'wasserstein';

/**
 * Discriminator (dReal given): hinge relu(1 − d_r) + relu(1 + d_f); least squares ½(d_r − 1)² + ½d_f²;
 * (non-)saturating/minimax softplus(−d_r) + softplus(d_f) (BCE with logits, stable); Wasserstein d_f − d_r.
 * Generator (dReal null): hinge and Wasserstein −d_f; least squares ½(d_f − 1)²; non-saturating softplus(−d_f);
 * minimax −softplus(d_f) = log(1 − σ(d_f)).
 */
export function ganValues(kind: GanKind, dFake: Tensor, dReal: Tensor | null): Tensor {
  if (dReal) {
    switch (kind) {
      case 'hinge': return dReal.neg().add(1).relu().add(dFake.add(1).relu());
      case 'least-squares': return dReal.sub(1).square().add(dFake.square()).mul(0.5);
      case 'nonsaturating': case 'minimax': return dReal.neg().softplus().add(dFake.softplus());
      case 'wasserstein': return dFake.sub(dReal);
      default: return kind satisfies never;
    }
  }
  switch (kind) {
    case 'hinge': case 'wasserstein': return dFake.neg();
    case 'least-squares': return dFake.sub(1).square().mul(0.5);
    case 'nonsaturating': return dFake.neg().softplus();
    case 'minimax': return dFake.softplus().neg();
    default: return kind satisfies never;
  }
}

/** The WGAN-GP penalty per sample, (‖∇_x̂ D(x̂)‖₂ − 1)², from the critic's input gradient [N, ...] at the interpolates. */
export function gradientPenalty(gradAtInterpolates: Tensor): Tensor {
  const flat = gradAtInterpolates.reshape([gradAtInterpolates.shape[0], -1]);
  return flat.square().sum(-1).sqrt().sub(1).square();
}
