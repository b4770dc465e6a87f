/**
 * Feature-space distances of a frozen network's activations, shared by perceptual-loss and
 * high-frequency-perceptual-loss: the caller runs the network (VGG, an invertible network, ...) on both images and
 * passes one layer's feature maps [N, C, ...]; layers are summed by the caller with their weights.
 */
import type { Tensor } from '@graft/core';

/** LPIPS's normalize_tensor: each position's channel vector divided by (its L2 norm + eps), over dim 1. */
export function channelUnitNormalise(f: Tensor, eps = 1e-10): Tensor {
  return f.div(f.square().sum(1, true).sqrt().add(eps));
}

/**
 * Per sample [N]: mean over channels and positions of |φx − φy| ('l1') or (φx − φy)² ('l2'); with per-channel
 * weights w [C] (LPIPS's linear layer) the weighted squared differences are summed over channels and averaged
 * over positions.
 */
export function featureDistance(fx: Tensor, fy: Tensor, norm: 'l1' | 'l2', channelWeight: Tensor | null = null): Tensor {
  const d = fx.sub(fy);
  const e = norm === 'l1' ? d.abs() : d.square();
  const dims = Array.from({ length: fx.ndim - 1 }, (_, i) => i + 1);
  if (!channelWeight) return e.mean(dims);
  const w = channelWeight.reshape([1, channelWeight.shape[0], ...Array.from({ length: fx.ndim - 2 }, () => 1)]);
  const perPos = e.mul(w).sum(1);
  return perPos.ndim > 1 ? perPos.mean(Array.from({ length: perPos.ndim - 1 }, (_, i) => i + 1)) : perPos;
}
