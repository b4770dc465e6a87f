import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { safeSqrt } from '../parts/distances.js';

const options = {
  threshold: opt.number(0.1, 'The heatmap threshold: a keypoint covers the pixels where its Gaussian exceeds it (authors: 0.1 on CLEVRER/MIME).', '[0, 1)'),
  scale: opt.number(3.5, 'The thresholded heatmap scale: patch = clamp(scale·relu(G − threshold), 0, 1) (authors: 3.5).', '(0, inf)'),
  kappa: opt.number(0.9, 'κ: the share of the conditional entropy (new information) in the reconstructed target (authors: 0.9).', '[0, 1]'),
  movementWeight: opt.number(1, 'Weight of the distance travelled by the active keypoints in the transport term (authors: 1).', '[0, inf)'),
  beta: opt.number(4, 'β: how many keypoints may overlap before the overlap penalty starts (authors: 4).', '[0, inf)'),
  maskedEntropyWeight: opt.number(100, 'Weight of the spatial-information term (uncovered share of the frame entropy; authors: 100).', '[0, inf)'),
  conditionalEntropyWeight: opt.number(100, 'Weight of the uncovered share of the conditional (new) entropy (authors: 100).', '[0, inf)'),
  transportWeight: opt.number(20, 'Weight of the information-transport term (authors: 20).', '[0, inf)'),
  statusWeight: opt.number(10, 'Weight of the active-keypoint count penalty, scaled by the covered share (authors: 10).', '[0, inf)'),
  overlapWeight: opt.number(30, 'Weight of the overlap penalty (authors: 30).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type KeypointEntropyLossesOptions = OptionsOf<typeof options>;

const EPS = 1e-10;

/**
 * MINT's entropy losses for unsupervised keypoints in videos: cover the frame's information, and transport it.
 *
 * Per sequence and frame t (X = frame t − 1, Y = frame t; the predecessor of the first frame is the last, as the
 * authors' torch.roll), with local entropy maps H(Y), H(X), H(Y|X) = max(H(X), H(Y)) − H(X), keypoint patches
 * KI = status·clamp(s·relu(G − θ), 0, 1) and their union mask U = clamp(Σ_k KI_k, 0, 1):
 *   L_me = Σ H(Y)(1 − U) / Σ H(Y);  L_ce = Σ H(Y|X)(1 − U) / Σ H(Y|X) (0 at the first frame);
 *   R_k = H(X)(1 − KI_k(Y))(1 − KI_k(X)) + H(Y)·KI_k(Y) + κ·H(Y|X)(1 − KI_k(Y)),  I(R_k, Y) = R_k + H(Y) − max(R_k, H(Y));
 *   L_it = mean_k (Σ H(Y) − Σ I(R_k, Y)) / a + w_m·Σ_k status_k(t)·status_k(t−1)·‖p_k(t) − p_k(t−1)‖;
 *   L_s = mean_k status_k;  L_o = max(max_px Σ_k G_k − β, 0) / K;
 *   ℓ(t) = w_me·L_me + w_ce·L_ce + w_it·L_it + w_o·L_o + (1 − L_me)·w_s·L_s,  ℓ = mean_t ℓ(t)
 * (sums over pixels; a: the mean patch area Σ_px KI over all keypoints). Follows the authors' code: the `MINT` loss
 * module of their MINT release (package `mint`) and its experiment configs for the weights (the search index holds
 * the files without their repository's name).
 *
 * @param heatmaps keypoint Gaussian maps G [N, T, K, H, W] in [0, 1]
 * @param coords keypoint coordinates p [N, T, K, 2]
 * @param entropy local spatial-entropy maps of the frames H(Y) [N, T, H, W] ≥ 0 (data: held constant)
 * @param status active status of each keypoint [N, T, K] in [0, 1] (optional: all active)
 * @returns [N] (one value per sequence) for 'none', else a scalar
 * @see Younes et al., "Entropy-driven Unsupervised Keypoint Representation Learning in Videos", ICML 2023
 */
export function keypointEntropyLosses(...args: Call<[heatmaps: Tensor, coords: Tensor, entropy: Tensor, status?: Tensor], KeypointEntropyLossesOptions>): Tensor {
  const [gauss, coords, entropyMaps, status, o] = entry.check(args);
  const k = gauss.shape[2];
  const px = [-1, -2];
  const act = status ?? gauss.sum(px).mul(0).add(1); // [N, T, K]
  const patches = gauss.sub(o.threshold).relu().mul(o.scale).clamp(0, 1);
  const area = patches.sum(px).mean(); // a, the authors' heatmap_size (see the reading)
  const areaSafe = area.gt(0).where(area, 1);
  const hy = entropyMaps.detach(); // H(Y) [N, T, H, W]
  const hx = hy.roll(1, 1); // H(X)
  const cond = hy.maximum(hx).sub(hx); // H(Y|X)
  const ki = patches.mul(act.unsqueeze(-1).unsqueeze(-1)); // [N, T, K, H, W]
  const union = ki.sum(2).clamp(0, 1);
  const lme = hy.sub(hy.mul(union)).sum(px).div(hy.sum(px).add(EPS)); // [N, T]
  const laterFrames = lme.newOnes([lme.shape[1] - 1]).pad([1, 0]); // [T]: 0 at t = 0, where X does not exist
  const lce = cond.sub(cond.mul(union)).sum(px).div(cond.sum(px).add(EPS)).mul(laterFrames);
  const travelled = safeSqrt(coords.sub(coords.roll(1, 1)).square().sum(-1)).mul(act).mul(act.roll(1, 1)).sum(-1); // [N, T]
  const kiPrev = ki.roll(1, 1);
  const hy5 = hy.unsqueeze(2);
  const source = hx.unsqueeze(2).mul(ki.neg().add(1)).mul(kiPrev.neg().add(1));
  const target = hy5.mul(ki).add(cond.unsqueeze(2).mul(ki.neg().add(1)).mul(o.kappa));
  const r = source.add(target);
  const mi = r.add(hy5).sub(r.maximum(hy5));
  const recon = hy.sum(px).unsqueeze(-1).sub(mi.sum(px)).div(areaSafe).mean(-1); // [N, T]
  const lit = recon.add(travelled.mul(o.movementWeight));
  const ls = act.sum(-1).div(k);
  const lo = gauss.sum(2).amax(px).sub(o.beta).clamp(0).div(k);
  const perFrame = lme.mul(o.maskedEntropyWeight).add(lce.mul(o.conditionalEntropyWeight)).add(lit.mul(o.transportWeight))
    .add(lo.mul(o.overlapWeight)).add(lme.neg().add(1).mul(ls).mul(o.statusWeight));
  return applyReduction(perFrame.mean(-1), { reduction: o.reduction });
}

export const entry = defineLoss({
  id: 'keypoint-entropy-losses',
  fn: keypointEntropyLosses,
  args: [
    { name: 'heatmaps', shape: ['N', 'T', 'K', 'H', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'coords', shape: ['N', 'T', 'K', 2], dtype: 'float', domain: 'real' },
    { name: 'entropy', shape: ['N', 'T', 'H', 'W'], dtype: 'float', domain: 'nonneg', stopGradient: true },
    { name: 'status', shape: ['N', 'T', 'K'], dtype: 'float', domain: 'prob', optional: true },
  ],
  options,
  output: 'per-sample',
  reading:
    "The authors' released MINT loss: masked-entropy and conditional-entropy coverage, information transport with a movement cost, the status " +
    "and overlap terms, at the authors' weights; the local entropy maps (their CUDA entropy layer on the frames) are an argument held constant. " +
    'One change: the transport cost is divided by the mean patch area over all keypoints, not the first keypoint\'s (0, and so ∞, when it is inactive).',
});
