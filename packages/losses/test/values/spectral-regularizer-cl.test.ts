/**
 * Power iteration (Golub & Van Loan §7.3): from any start not orthogonal to the top singular vectors, uᵀWv
 * converges to σ_max(W), here checked against linalg.svdvals; then the regulariser is λ(σ^k − 1)², which is 0
 * for an orthogonal matrix (σ_max = 1).
 */
import { expect, test } from 'vitest';
import { Generator, linalg, tensor } from '@graft/core';
import { createPowerIteration, spectralRegularizerCl } from '../../src/index.js';
import '../bench-helpers.js';

test('the power iteration finds σ_max and the penalty uses it', () => {
  const w = tensor([[2, 1, 0], [1, 3, 1], [0, 1, 1], [1, 0, 2]], { dtype: 'float64' });
  const pi = createPowerIteration({ rows: 4, cols: 3, generator: new Generator(1) });
  pi.update(w, 100);
  const { u, v } = pi.vectors(w);
  const sigma = linalg.svdvals(w).data()[0];
  expect(u.matmul(w).matmul(v).item()).toBeCloseTo(sigma, 10);
  expect(spectralRegularizerCl(w, u, v, { lam: 1, k: 2 }).item()).toBeCloseTo((sigma ** 2 - 1) ** 2, 8);
  expect(createPowerIteration(pi.stateDict()).stateDict()).toEqual(pi.stateDict());
});

test('an orthogonal matrix is not penalised', () => {
  const q = tensor([[0, 1], [1, 0]], { dtype: 'float64' });
  const pi = createPowerIteration({ rows: 2, cols: 2, generator: new Generator(2) });
  pi.update(q, 3);
  const { u, v } = pi.vectors(q);
  expect(spectralRegularizerCl(q, u, v).item()).toBeCloseTo(0, 12);
});
