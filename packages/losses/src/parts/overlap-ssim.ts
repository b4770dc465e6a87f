/**
 * Structural similarity (SSIM) maps with a Gaussian window, as in Wang et al. 2004 and pytorch_ssim (the code
 * BASNet uses): local means, variances and covariance by a depthwise convolution with zero padding of
 * window // 2, then SSIM = ((2μₚμ_g + C1)(2σ_pg + C2))/((μₚ² + μ_g² + C1)(σₚ² + σ_g² + C2)).
 */
import { conv2d, type Tensor, tensor } from '@graft/core';

/** The normalised 2-D Gaussian window [1, 1, k, k] of width k and standard deviation σ, in `like`'s dtype and backend. */
export function gaussianWindow(k: number, sigma: number, like: Tensor): Tensor {
  const g = Array.from({ length: k }, (_, i) => Math.exp(-((i - Math.floor(k / 2)) ** 2) / (2 * sigma * sigma)));
  const s = g.reduce((a, b) => a + b, 0);
  const w = g.map((v) => v / s);
  return tensor(w.flatMap((a) => w.map((b) => a * b)), { dtype: like.dtype, backend: like.backendName }).reshape([1, 1, k, k]);
}

export interface SsimOptions { window: number; sigma: number; C1: number; C2: number }

/** The SSIM map of x and y [N, C, H, W] (channels filtered independently): [N, C, H', W']. */
export function ssimMap(x: Tensor, y: Tensor, { window, sigma, C1, C2 }: SsimOptions): Tensor {
  const [n, c, h, w] = x.shape;
  const win = gaussianWindow(window, sigma, x);
  const pad = Math.floor(window / 2);
  // Depthwise: every channel of every image is one single-channel image.
  const filt = (t: Tensor) => { const o = conv2d(t.reshape([n * c, 1, h, w]), win, null, { padding: pad }); return o.reshape([n, c, o.shape[2], o.shape[3]]); };
  const mx = filt(x);
  const my = filt(y);
  const sxx = filt(x.mul(x)).sub(mx.square());
  const syy = filt(y.mul(y)).sub(my.square());
  const sxy = filt(x.mul(y)).sub(mx.mul(my));
  const num = mx.mul(my).mul(2).add(C1).mul(sxy.mul(2).add(C2));
  const den = mx.square().add(my.square()).add(C1).mul(sxx.add(syy).add(C2));
  return num.div(den);
}

/** 1 − mean SSIM per image: [N, C, H, W] → [N]. */
export function ssimLossPerImage(x: Tensor, y: Tensor, o: SsimOptions): Tensor {
  return ssimMap(x, y, o).mean([1, 2, 3]).neg().add(1);
}
