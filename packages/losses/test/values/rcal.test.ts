// RCAL's distributional calibration, hand-derived (Zhang et al., ICCV 2023, §3.2): LOF drops the far point of a
// class, a tail class averages its mean and covariance with its nearest head class, and draws are μ + Lε.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { rcalClassGaussians, rcalLoss, rcalSampleFeatures } from '../../src/index.js';

const h0 = tensor([[0, 0], [1, 0], [0, 1], [1, 1], [10, 10], [5, 5], [6, 5], [5, 6], [6, 6], [2, 2]], { dtype: 'float64' });
const y = tensor([0, 0, 0, 0, 0, 1, 1, 1, 1, 2], { dtype: 'int32' });

describe('RCAL distributional calibration', () => {
  test('LOF outlier removed, robust means and covariances, tail class borrows from its nearest head class', () => {
    const g = rcalClassGaussians(h0, y, 3, { neighbors: 2, headClasses: 1, alpha: 0.1 });
    // (10, 10): k = 2 reach distances 12.73 and 13.45 against unit ones for the square, LOF ≈ 13 > 1.5.
    expect(Array.from(g.kept.data())).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
    const third = expect.closeTo(1 / 3, 12);
    // class 2 (one point, a tail class below the median count 4): nearest head class 0, so
    // μ = ((2, 2) + (0.5, 0.5))/2, Σ = (0 + I/3)/2 + 0.1·I.
    expect(Array.from(g.means.data())).toEqual([0.5, 0.5, 5.5, 5.5, 1.25, 1.25].map((v) => expect.closeTo(v, 12)));
    const tail = expect.closeTo(1 / 6 + 0.1, 12);
    expect(Array.from(g.covariances.data())).toEqual([third, 0, 0, third, third, 0, 0, third, tail, 0, 0, tail]);
    const l = g.scaleTril.data();
    expect(l[0]).toBeCloseTo(Math.sqrt(1 / 3 + 1e-6), 12);
    expect(l[1]).toBe(0);
  });

  test('draws are μ_ỹ + L_ỹ ε and feed the loss', () => {
    const g = rcalClassGaussians(h0, y, 3, { neighbors: 2, headClasses: 1 });
    const classes = tensor([2, 0], { dtype: 'int32' });
    const noise = tensor([[0, 0], [1, -1]], { dtype: 'float64' });
    const s = rcalSampleFeatures(g.means, g.scaleTril, classes, noise).data();
    const sd = Math.sqrt(1 / 3 + 1e-6);
    expect(Array.from(s)).toEqual([1.25, 1.25, 0.5 + sd, 0.5 - sd].map((v) => expect.closeTo(v, 12)));
    const w = tensor([[1, 0], [0, 1], [-1, -1]], { dtype: 'float64' });
    const loss = rcalLoss(h0, h0, y, w, rcalSampleFeatures(g.means, g.scaleTril, classes, noise), classes, undefined, { lambda: 3 });
    expect(Number.isFinite(loss.item())).toBe(true);
  });
});
