// Behaviour from the issue: NeuralNDCG tends to −NDCG@k as τ → 0 (the relaxed sort becomes the hard one);
// NDCG here is computed by hand from the sorted scores (Järvelin & Kekäläinen's definition, gains 2^y − 1).
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { neuralNdcgLoss, neuralNdcgTransposedLoss, softDiceLoss } from '../../src/index.js';

const scores = [0.3, -1.2, 0.5, 0.9, 0.1];
const rel = [3, 1, 0, 2, 0];
function ndcg(k: number): number {
  const order = scores.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  const gain = (y: number) => 2 ** y - 1;
  const dcg = order.slice(0, k).reduce((a, i, r) => a + gain(rel[i]) / Math.log2(r + 2), 0);
  const ideal = [...rel].sort((a, b) => b - a).slice(0, k).reduce((a, y, r) => a + gain(y) / Math.log2(r + 2), 0);
  return dcg / ideal;
}

describe('neural-ndcg, behaviour', () => {
  const s = tensor([scores], { dtype: 'float64' });
  const y = tensor([rel], { dtype: 'float64' });
  test.each([[5], [3]])('τ → 0 gives −NDCG@%i (both forms)', (k) => {
    for (const fn of [neuralNdcgLoss, neuralNdcgTransposedLoss]) {
      expect(fn(s, y, undefined, { tau: 1e-3, k }).item()).toBeCloseTo(-ndcg(k), 6);
      expect(Math.abs(fn(s, y, undefined, { tau: 1, k }).item() + ndcg(k))).toBeGreaterThan(1e-3);
    }
  });
  test('padding: a padded list equals the same list unpadded', () => {
    const padded = neuralNdcgLoss(tensor([[...scores, 7, -3]], { dtype: 'float64' }), tensor([[...rel, 4, 4]], { dtype: 'float64' }), tensor([[1, 1, 1, 1, 1, 0, 0]], { dtype: 'float64' }));
    expect(padded.item()).toBeCloseTo(neuralNdcgLoss(s, y).item(), 12);
  });
});

describe('soft-dice, behaviour', () => {
  test('0 on a perfect prediction; finite gradient on an empty class', () => {
    const t = tensor([[[1, 0, 1], [0, 1, 0], [0, 0, 0]]], { dtype: 'float64' }); // class 2 empty
    expect(softDiceLoss(t, t, { smooth: 0, classSet: 'present' }).item()).toBeCloseTo(0, 12);
    expect(softDiceLoss(t, t).item()).toBeCloseTo(0, 12);
    const p = tensor([[[0.7, 0.2, 0.6], [0.2, 0.7, 0.3], [0.1, 0.1, 0.1]]], { dtype: 'float64' }).requiresGrad_();
    softDiceLoss(p, t).backward();
    expect(Array.from(p.grad!.data()).every(Number.isFinite)).toBe(true);
  });
});
