/**
 * SAF's per-sample memory (Du et al., NeurIPS 2022, Algorithm 1): the logits a sample had E epochs earlier come
 * back at the current epoch, nothing comes back during the first E epochs, and the state survives a
 * stateDict round trip. With identical current and past logits the trajectory term is 0 (KL(p‖p) = 0).
 */
import { expect, test } from 'vitest';
import { tensor } from '@graft/core';
import { createTrajectoryMemory, crossEntropy, safTrajectoryLoss } from '../../src/index.js';
import '../bench-helpers.js';

const like = tensor([0], { dtype: 'float64' });

test('the memory returns the logits of E epochs earlier', () => {
  const mem = createTrajectoryMemory({ numSamples: 4, numClasses: 2, E: 2 });
  const ids = tensor([1, 3], { dtype: 'int32' });
  expect(mem.past(0, ids, like)).toBeNull();
  mem.record(0, ids, tensor([[1, 2], [3, 4]], { dtype: 'float64' }));
  mem.record(1, ids, tensor([[5, 6], [7, 8]], { dtype: 'float64' }));
  expect(mem.past(1, ids, like)).toBeNull();
  expect(mem.past(2, ids, like)!.toArray()).toEqual([[1, 2], [3, 4]]);
  expect(mem.past(2, tensor([0], { dtype: 'int32' }), like)).toBeNull();
  const restored = createTrajectoryMemory(mem.stateDict());
  mem.record(2, ids, tensor([[0, 0], [0, 0]], { dtype: 'float64' }));
  expect(restored.past(3, ids, like)!.toArray()).toEqual([[5, 6], [7, 8]]);
});

test('no drift, no trajectory term', () => {
  const z = tensor([[1, -1, 0.5], [0.2, 0.1, -2]], { dtype: 'float64' });
  const y = tensor([0, 2], { dtype: 'int32' });
  expect(safTrajectoryLoss(z, z, y).item()).toBeCloseTo(crossEntropy(z, y).item(), 12);
});
