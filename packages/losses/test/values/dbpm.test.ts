// DBPM's memory (the authors' memory_module, lanxiang1017/DynamicBadPairMining_ICLR24): one loss per pair per epoch,
// an explicit serialisable object whose history feeds dbpmLoss.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { createDbpmMemory, dbpmLoss } from '../../src/index.js';

describe('DBPM memory', () => {
  test('records one loss per pair per epoch, round-trips, and drives the reweighting', () => {
    const memory = createDbpmMemory(4);
    expect(memory.history().shape).toEqual([4, 0]);
    for (const epoch of [[1, 1, 1, 5], [1, 1, 1, 5]]) {
      memory.update(tensor([0, 3], { dtype: 'int32' }), tensor([epoch[0], epoch[3]], { dtype: 'float64' }));
      memory.update(tensor([2, 1], { dtype: 'int32' }), tensor([epoch[2], epoch[1]], { dtype: 'float64' }));
      memory.endEpoch();
    }
    const h = memory.history();
    expect(h.shape).toEqual([4, 2]);
    expect(Array.from(h.data())).toEqual([1, 1, 1, 1, 1, 1, 5, 5]);
    // T = 2: means (1·½ + 1·1)/2 = 0.75 and 3.75; μ = 1.5, σ = √(3·0.75² + 2.25²)/2 = 1.299...; pair 3 is ≥ μ + 1·σ.
    const losses = tensor([1, 2], { dtype: 'float64' });
    const ids = tensor([0, 3], { dtype: 'int32' });
    const out = Array.from(dbpmLoss(losses, ids, h, { warmupEpochs: 2, totalEpochs: 2, cutFaulty: 1, cutNoisy: 10, reduction: 'none' }).data());
    const mu = 1.5;
    const sd = Math.sqrt((3 * 0.75 ** 2 + 2.25 ** 2) / 4);
    const w = Math.exp(-0.5 * ((2 - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
    expect(out[0]).toBe(1);
    expect(out[1]).toBeCloseTo(2 * w, 12);
    const copy = createDbpmMemory(4);
    copy.loadStateDict(JSON.parse(JSON.stringify(memory.stateDict())));
    expect(Array.from(copy.history().data())).toEqual(Array.from(h.data()));
    expect(() => memory.endEpoch()).toThrow(/no loss recorded/);
  });
});
