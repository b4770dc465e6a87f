// Core-tuning's hard-pair generation (Vanint/Core-tuning, feature_mixup), hand-computed on four 2-d features.
import { describe, expect, test } from 'vitest';
import { grad, tensor } from '@graft/core';
import '../bench-helpers.js';
import { coreTuningLoss, coreTuningPairs } from '../../src/index.js';

describe('Core-tuning pairs', () => {
  test('hardest positive and negative by cosine, mixes of features and targets, gradient through the gathers', () => {
    // classes 0, 0, 0, 1; cosines with row 0: row 1 (1, 0.2) is close, row 2 (0, 1) far, row 3 (1, 0.5) of class 1.
    const f = tensor([[1, 0], [1, 0.2], [0, 1], [1, 0.5]], { dtype: 'float64' }).requiresGrad_();
    const y = tensor([0, 0, 0, 1], { dtype: 'int32' });
    const { features, targets } = coreTuningPairs(f, y, 2, { order: [3, 2, 1, 0], lambdaMix: [0.8, 0.9, 0.8, 0.8], lambdaHard: [0.25, 0.5, 0.5, 0.5] });
    expect(features.shape).toEqual([12, 2]);
    const rows = features.toArray() as number[][];
    const trows = targets.toArray() as number[][];
    // shuffled mix of row 0: 0.2·f0 + 0.8·f3 = (1, 0.4); targets 0.2·[1, 0] + 0.8·[0, 1]
    expect(rows[4][0]).toBeCloseTo(1, 12);
    expect(rows[4][1]).toBeCloseTo(0.4, 12);
    expect(trows[4][1]).toBeCloseTo(0.8, 12);
    // row 0: hardest positive = row 2 (cos 0), hardest negative = row 3 (the only other class): 0.25·f2 + 0.75·f3
    expect(rows[8][0]).toBeCloseTo(0.75, 12);
    expect(rows[8][1]).toBeCloseTo(0.25 + 0.375, 12);
    expect(trows[8][0]).toBeCloseTo(0.25, 12);
    // row 3 (class 1) has no positive: itself; its hardest negative is row 1 (cos of (1, .5) with (1, .2) is the largest)
    expect(rows[11][0]).toBeCloseTo(0.5 * 1 + 0.5 * 1, 12);
    expect(rows[11][1]).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.2, 12);
    const [g] = grad(features.sum(), [f]);
    // each of the 12 output rows spreads weight 1 over the source rows
    expect(g!.sum().item()).toBeCloseTo(2 * 12, 12);
    const loss = coreTuningLoss(features.matmul(tensor([[1, -1], [0.5, 2]], { dtype: 'float64' })), features, targets);
    expect(Number.isFinite(loss.item())).toBe(true);
  });
});
