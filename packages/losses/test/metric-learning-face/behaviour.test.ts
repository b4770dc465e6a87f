/**
 * Behavioural tests of issue 12 for the metric-learning/face slice, derived by hand:
 * - ArcFace's target logit equals s·cos(θ + m) for θ ∈ [0, π − m] and, past it, InsightFace's fallback
 *   s·(cos θ − m·sin m) (Deng et al. 2019, the paper's code); with easyMargin, s·cos θ where cos θ ≤ 0. The
 *   embedding x = (cos θ, sin θ) against the class weight W_0 = (1, 0) has cos θ_0 = cos θ exactly.
 * - Triplet with margin 0 is zero on a separable batch (every positive closer than every negative), for all
 *   mining modes, with a zero gradient.
 * - A miner that finds no valid pair (one class in the batch) gives 0 with a zero gradient, never NaN.
 * - Partial FC gives gradient only to the sampled rows of W, and every class present in the batch is sampled.
 */
import { expect, test } from 'vitest';
import '@graft/backend-cpu';
import { Generator, grad, tensor } from '@graft/core';
import { arcFaceLogits, circleLoss, multiSimilarityLoss, partialFcLoss, tripletLoss } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };

test('ArcFace target logit is s·cos(θ + m) across θ ∈ [0, π]', () => {
  const s = 64, m = 0.5;
  const thetas = Array.from({ length: 181 }, (_, i) => (i * Math.PI) / 180);
  const x = tensor(thetas.map((t) => [Math.cos(t), Math.sin(t)]), f64);
  const W = tensor([[1, 0], [0, 1]], f64);
  const y = tensor(thetas.map(() => 0), { dtype: 'int32' });
  const got = arcFaceLogits(x, y, W, { s, m }).data();
  const easy = arcFaceLogits(x, y, W, { s, m, easyMargin: true }).data();
  thetas.forEach((t, i) => {
    const c = Math.cos(t);
    const want = t + m <= Math.PI ? s * Math.cos(t + m) : s * (c - m * Math.sin(m));
    expect(got[2 * i]).toBeCloseTo(want, 9);
    expect(easy[2 * i]).toBeCloseTo(c > 0 ? s * Math.cos(t + m) : s * c, 9);
    expect(got[2 * i + 1]).toBeCloseTo(s * Math.sin(t), 9);
  });
});

test('triplet with margin 0 is zero on a separable batch', () => {
  const e = tensor([[0, 0], [0.1, 0], [5, 5], [5.1, 5], [-5, 5], [-5, 5.2]], f64).requiresGrad_();
  const y = tensor([0, 0, 1, 1, 2, 2], { dtype: 'int32' });
  for (const mining of ['all', 'batch-hard', 'semi-hard'] as const) {
    const out = tripletLoss(e, y, undefined, { margin: 0, mining });
    expect(out.item()).toBe(0);
    expect(Array.from(grad(out, [e])[0]!.data()).every((v) => v === 0)).toBe(true);
  }
  const a = e.detach().slice(0, 0, 2), p = a.add(0.01), n = a.add(3);
  expect(tripletLoss(a, p, n, { margin: 0 }).item()).toBe(0);
});

test('no valid pair: zero loss and zero gradient, never NaN', () => {
  const e = tensor([[1, 2], [3, -1], [0, 1]], f64).requiresGrad_();
  const y = tensor([4, 4, 4], { dtype: 'int32' });
  for (const out of [tripletLoss(e, y, undefined, { mining: 'batch-hard' }), tripletLoss(e, y), multiSimilarityLoss(e, y), circleLoss(e, y)]) {
    expect(out.item()).toBe(0);
    expect(Array.from(grad(out, [e])[0]!.data()).every((v) => v === 0)).toBe(true);
  }
});

test('Partial FC: gradient only on sampled rows, every present class sampled', () => {
  const g = new Generator(3);
  const x = tensor(Array.from({ length: 4 }, () => [g.normal(), g.normal(), g.normal()]), f64);
  const W = tensor(Array.from({ length: 20 }, () => [g.normal(), g.normal(), g.normal()]), f64).requiresGrad_();
  const y = tensor([1, 7, 7, 12], { dtype: 'int32' });
  const gw = grad(partialFcLoss(x, y, W, { sampleRate: 0.25, generator: new Generator(0) }), [W])[0]!.data();
  const touched = Array.from({ length: 20 }, (_, c) => [0, 1, 2].some((d) => gw[3 * c + d] !== 0));
  expect(touched.filter(Boolean).length).toBe(5);
  for (const c of [1, 7, 12]) expect(touched[c]).toBe(true);
});
