/**
 * The simplex equiangular tight frame (Papyan, Han & Donoho, PNAS 2020): K unit class vectors with pairwise
 * cosine −1/(K − 1), i.e. W·Wᵀ = K/(K−1)·(I − 11ᵀ/K); it exists in D ≥ K − 1 dims, so K = D + 1 works too.
 * SSE-C zeroes ⌊sparsity·K·D⌋ entries.
 */
import { expect, test } from 'vitest';
import { Generator } from '@graft/core';
import { simplexEtf } from '../../src/index.js';
import '../bench-helpers.js';

test.each([[4, 5], [4, 3], [2, 1]])('K = %i classes in D = %i dims form a simplex ETF', (k, d) => {
  const w = simplexEtf(k, d, { generator: new Generator(k * 10 + d) });
  expect(w.shape).toEqual([k, d]);
  const gram = w.matmul(w.transpose(0, 1)).toArray() as number[][];
  gram.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : -1 / (k - 1), 10)));
});

test('SSE-C sparsity zeroes the smallest entries', () => {
  const w = simplexEtf(4, 5, { sparsity: 0.5, generator: new Generator(1) });
  expect(Array.from(w.data()).filter((v) => v === 0).length).toBe(10);
});
