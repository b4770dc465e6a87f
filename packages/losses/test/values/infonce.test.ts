// InfoNCE's MoCo queue (He et al. 2020, Algorithm 1): a FIFO of detached past keys, the oldest overwritten first;
// the loss with the queue as shared negatives equals the loss with the same keys passed per query.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { createKeyQueue, enqueueKeys, infoNceLoss, queuedKeys } from '../../src/index.js';

describe('infonce, MoCo queue state', () => {
  const rows = (...xs: number[][]) => tensor(xs, { dtype: 'float64' });
  test('FIFO: fills, wraps, overwrites the oldest; state is immutable and detached', () => {
    const q0 = createKeyQueue(3, 2, rows([0, 0]));
    const k1 = rows([1, 1], [2, 2]).requiresGrad_();
    const q1 = enqueueKeys(q0, k1);
    expect(q0.count).toBe(0);
    expect(q1.count).toBe(2);
    expect(q1.ptr).toBe(2);
    expect(queuedKeys(q1).toArray()).toEqual([[1, 1], [2, 2]]);
    expect(q1.keys.requiresGrad).toBe(false);
    const q2 = enqueueKeys(q1, rows([3, 3], [4, 4]));
    expect(q2.count).toBe(3);
    expect(q2.ptr).toBe(1);
    expect(q2.keys.toArray()).toEqual([[4, 4], [2, 2], [3, 3]]);
  });

  test('shared queue negatives [K, D] = the same negatives per query [N, K, D]', () => {
    const q = rows([1, 0.5], [-0.3, 2]);
    const k = rows([0.7, 0.2], [0.1, 1]);
    const negs = rows([1, -1], [0.2, 0.3], [-2, 0.5]);
    const shared = infoNceLoss(q, k, negs, { reduction: 'none' });
    const per = infoNceLoss(q, k, negs.unsqueeze(0).expand([2, 3, 2]), { reduction: 'none' });
    Array.from(shared.data()).forEach((v, i) => expect(v).toBeCloseTo(per.data()[i], 12));
  });
});
