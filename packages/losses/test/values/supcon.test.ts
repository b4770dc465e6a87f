// SupCon's claimed reduction (Khosla et al. 2020, §3.2.1, and issue 12): with the two views of N samples stacked
// and one positive per anchor (labels [0..N−1, 0..N−1]) and τ_b = τ, L_out is SimCLR's NT-Xent, values and gradients.
import { describe, expect, test } from 'vitest';
import { cat, Generator, grad, tensor } from '@graft/core';
import { expectAllclose } from '@graft/core/testing';
import '../bench-helpers.js';
import { ntXentLoss, supConLoss } from '../../src/index.js';

describe('supcon, behaviour', () => {
  const g = new Generator(5);
  const draw = (n: number, d: number) => tensor(Float64Array.from({ length: n * d }, () => g.normal()), { dtype: 'float64' }).reshape([n, d]);

  test.each([0.07, 0.5, 1])('one positive per anchor: SupCon = NT-Xent at τ = %s (value and gradients)', (tau) => {
    const z1 = draw(5, 4).requiresGrad_();
    const z2 = draw(5, 4).requiresGrad_();
    const labels = tensor([0, 1, 2, 3, 4, 0, 1, 2, 3, 4], { dtype: 'int32' });
    const sup = supConLoss(cat([z1, z2], 0), labels, { tau });
    const nt = ntXentLoss(z1, z2, { tau });
    expect(sup.item()).toBeCloseTo(nt.item(), 12);
    const [a1, a2] = grad(sup, [z1, z2]);
    const [b1, b2] = grad(nt, [z1, z2]);
    expectAllclose(a1!, { shape: b1!.shape, data: b1!.data() }, { atol: 1e-12, rtol: 1e-10 });
    expectAllclose(a2!, { shape: b2!.shape, data: b2!.data() }, { atol: 1e-12, rtol: 1e-10 });
  });

  test('no positive pair in the batch: 0 with zero gradient, never NaN', () => {
    const x = draw(4, 3).requiresGrad_();
    const loss = supConLoss(x, tensor([0, 1, 2, 3], { dtype: 'int32' }));
    expect(loss.item()).toBe(0);
    expect(Array.from(grad(loss, [x])[0]!.data()).every((v) => v === 0)).toBe(true);
  });

  test('finite at a batch × batch matrix of logits ±1e4 (τ = 1e-4, identical and opposite embeddings)', () => {
    const x = tensor([[1, 0], [1, 0], [-1, 0], [0, 1]], { dtype: 'float64' }).requiresGrad_();
    const loss = supConLoss(x, tensor([0, 0, 1, 1], { dtype: 'int32' }), { tau: 1e-4 });
    expect(Number.isFinite(loss.item())).toBe(true);
    expect(Array.from(grad(loss, [x])[0]!.data()).every(Number.isFinite)).toBe(true);
  });
});
