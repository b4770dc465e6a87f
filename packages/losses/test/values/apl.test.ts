// APL's claimed properties (Ma et al. 2020, Lemma 1 and §4): a normalized loss is bounded in [0, 1] and sums to
// 1 over all labels (hence robust to symmetric noise); the passive RCE term is −A(1 − p_y).
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { activePassiveLoss, normalizedCrossEntropy, normalizedFocalLoss, rceLoss } from '../../src/index.js';

const z = tensor([[1.5, -0.5, 0.2, 3.0]], { dtype: 'float64' });
const label = (k: number) => tensor([k], { dtype: 'int32' });

describe('normalized losses, behaviour', () => {
  test('NCE and NFL sum to 1 over every possible label', () => {
    for (const f of [(k: number) => normalizedCrossEntropy(z, label(k)), (k: number) => normalizedFocalLoss(z, label(k))]) {
      const total = [0, 1, 2, 3].reduce((a, k) => a + f(k).item(), 0);
      expect(total).toBeCloseTo(1, 12);
    }
  });
  test('NCE+RCE = NCE + (−A)(1 − p_y)', () => {
    const py = Math.exp(1.5) / [1.5, -0.5, 0.2, 3.0].reduce((a, v) => a + Math.exp(v), 0);
    expect(rceLoss(z, label(0)).item()).toBeCloseTo(4 * (1 - py), 12);
    expect(activePassiveLoss(z, label(0)).item()).toBeCloseTo(normalizedCrossEntropy(z, label(0)).item() + 4 * (1 - py), 12);
  });
});
