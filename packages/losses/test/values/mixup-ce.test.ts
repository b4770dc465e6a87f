/**
 * The data side of mixup (Zhang et al., ICLR 2018): `mixupBatch` draws λ ~ Beta(α, α) and a partner permutation
 * from the given generator, so a seed reproduces the batch, and the mixed inputs are λx + (1 − λ)x[perm]
 * (checked against that expression computed here); the loss at λ = 1 is the CE of the first targets.
 */
import { expect, test } from 'vitest';
import { Generator, tensor } from '@graft/core';
import { crossEntropy, mixupBatch, mixupCe } from '../../src/index.js';
import '../bench-helpers.js';

const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8]], { dtype: 'float64' });
const y = tensor([0, 1, 2, 1], { dtype: 'int32' });

test('mixupBatch is seeded and mixes each sample with its partner', () => {
  const a = mixupBatch(x, y, { alpha: 1, generator: new Generator(3) });
  const b = mixupBatch(x, y, { alpha: 1, generator: new Generator(3) });
  expect(Array.from(a.mixed.data())).toEqual(Array.from(b.mixed.data()));
  const lam = a.lam.item();
  expect(lam).toBeGreaterThanOrEqual(0);
  expect(lam).toBeLessThanOrEqual(1);
  const perm = Array.from(a.perm.data());
  const xs = x.toArray() as number[][];
  const want = xs.flatMap((row, i) => row.map((v, j) => lam * v + (1 - lam) * xs[perm[i]][j]));
  Array.from(a.mixed.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  expect(Array.from(a.targetB.data())).toEqual(perm.map((p) => Array.from(y.data())[p]));
});

test('per-sample λ has one draw per row', () => {
  const { lam } = mixupBatch(x, y, { alpha: 0.2, perSample: true, generator: new Generator(5) });
  expect(lam.shape).toEqual([4]);
});

test('λ = 1 gives the cross-entropy of the first targets', () => {
  const z = tensor([[1, -1, 0.5], [0.2, 0.1, -2], [3, 0, 1], [0, 0, 0]], { dtype: 'float64' });
  const yb = tensor([2, 2, 0, 0], { dtype: 'int32' });
  expect(mixupCe(z, y, yb, tensor(1, { dtype: 'float64' })).item()).toBeCloseTo(crossEntropy(z, y).item(), 12);
});
