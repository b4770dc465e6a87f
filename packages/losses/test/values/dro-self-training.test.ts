// The RSS inner solver (Saberi et al., ICLR 2024; the authors' optimize_x_adv): Z ← Z + α/(t+1)·∇[ℓ(Z) − γ‖Z − X‖²],
// hand-derived for a linear loss ℓ(Z) = Σ a·Z, whose gradient is a.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { droSelfTrainingLoss, rssInnerMaximize } from '../../src/index.js';

describe('RSS training', () => {
  test('inner ascent steps of the transport-penalised loss', () => {
    const x = tensor([[1, 2]], { dtype: 'float64' });
    const a = [3, -1];
    const loss = (z: ReturnType<typeof tensor>) => z.mul(tensor([a], { dtype: 'float64' })).sum();
    const alpha = 0.5;
    const gamma = 0.2;
    const z = rssInnerMaximize(loss, x, { steps: 2, alpha, gamma }).data();
    // step 0 from Z = X: Z₁ = X + α·a; step 1: Z₂ = Z₁ + (α/2)·(a − 2γ(Z₁ − X)) = X + αa + (α/2)(1 − 2γα)·a
    const shift = a.map((v) => alpha * v + (alpha / 2) * (1 - 2 * gamma * alpha) * v);
    expect(Array.from(z)).toEqual([1 + shift[0], 2 + shift[1]].map((v) => expect.closeTo(v, 12)));
  });

  test('λ = 0 leaves the labelled Wasserstein-penalised CE', () => {
    const z = tensor([[2, 0], [0, 1]], { dtype: 'float64' });
    const y = tensor([0, 1], { dtype: 'int32' });
    const shift = tensor([[1, 1], [0, 2]], { dtype: 'float64' });
    const u = tensor([[5, 0]], { dtype: 'float64' });
    const value = droSelfTrainingLoss(z, y, shift, u, u, tensor([[3, 0]], { dtype: 'float64' }), { lambda: 0, gamma: 0.5 }).item();
    const ce = (zy: number, zo: number) => Math.log(Math.exp(zy) + Math.exp(zo)) - zy;
    expect(value).toBeCloseTo((ce(2, 0) - 0.5 * 2 + ce(1, 0) - 0.5 * 4) / 2, 12);
  });
});
