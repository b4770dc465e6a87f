/** The consistency-model distances on whole samples: pseudo-Huber (iCT) and Cauchy (sLCT), per sample. */
import type { Tensor } from '@graft/core';

/** ‖x − y‖² over each sample's elements [N]. */
export const sampleSquaredNorm = (x: Tensor, y: Tensor): Tensor => x.sub(y).reshape([x.shape[0], -1]).square().sum(-1);

/** iCT's default c = 0.00054·√d, d = the elements per sample. */
export const ictC = (x: Tensor): number => 0.00054 * Math.sqrt(x.shape[0] === 0 ? 1 : x.size / x.shape[0]);

/** √(r² + c²) − c in its cancellation-free form r²/(√(r² + c²) + c) [N]. */
export const pseudoHuber = (r2: Tensor, c: number): Tensor => r2.div(r2.add(c * c).sqrt().add(c));

/** log(1 + r²/(2c²)) (Barron's α = 0) [N]. */
export const cauchy = (r2: Tensor, c: number): Tensor => r2.div(2 * c * c).log1p();
