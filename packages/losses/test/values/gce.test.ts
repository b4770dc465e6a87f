// GCE's claimed property (Zhang & Sabuncu 2018, §3.2): its gradient is p_y^q times cross-entropy's, so a
// confidently wrong (likely mislabelled) sample pulls less than under CE, while a well-fit sample is unchanged.
import { describe, expect, test } from 'vitest';
import { tensor, type Tensor } from '@graft/core';
import '../bench-helpers.js';
import { crossEntropy, gceLoss } from '../../src/index.js';

const gradNorm = (loss: (z: Tensor) => Tensor, logits: number[][]) => {
  const z = tensor(logits, { dtype: 'float64' }).requiresGrad_();
  loss(z).backward();
  return Math.hypot(...Array.from(z.grad!.data()));
};

describe('gce, behaviour', () => {
  const y = tensor([0], { dtype: 'int32' });
  test('a confidently wrong sample: GCE gradient = p_y^q · CE gradient, much smaller', () => {
    const wrong = [[-3, 4, 0]]; // p_y ≈ 4.5e-4
    const ce = gradNorm((z) => crossEntropy(z, y), wrong);
    const gce = gradNorm((z) => gceLoss(z, y, { q: 0.7 }), wrong);
    const py = Math.exp(-3) / (Math.exp(-3) + Math.exp(4) + 1);
    expect(gce / ce).toBeCloseTo(py ** 0.7, 10);
    expect(gce).toBeLessThan(0.01 * ce);
  });
  test('q = 0 is cross-entropy', () => {
    const z = tensor([[0.3, -1, 2]], { dtype: 'float64' });
    expect(gceLoss(z, y, { q: 0 }).item()).toBeCloseTo(crossEntropy(z, y).item(), 12);
  });
});
