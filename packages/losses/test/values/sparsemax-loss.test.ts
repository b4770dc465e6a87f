// sparsemax-loss at its kink: a target class exactly on the support threshold τ. The loss is C¹ (Martins &
// Astudillo 2016, Prop. 2: ∇L = sparsemax(z) − q), so the gradient there is sparsemax(z) − q, computed by hand.
import '@graft/backend-cpu';
import { expect, test } from 'vitest';
import { tensor } from '@graft/core';
import { sparsemaxLoss } from '../../src/index.js';

test.each([
  // z = [1, 0]: sparsemax = [1, 0], τ = 0 = z₁; target 1 → q = [0, 1]; L = ½·1 − (0 − 0) + ½ = 1.
  { z: [[1, 0]], y: [1], value: 1, grad: [1, -1] },
  // z = [2, 1, -1]: sparsemax = [1, 0, 0], τ = 1 = z₁; target 1 → L = ½ − 0 + ½ = 1, ∇ = [1, −1, 0].
  { z: [[2, 1, -1]], y: [1], value: 1, grad: [1, -1, 0] },
])('the gradient at a target on the threshold is sparsemax(z) − q: $z', ({ z, y, value, grad }) => {
  const x = tensor(z, { dtype: 'float64', requiresGrad: true });
  const loss = sparsemaxLoss(x, tensor(y, { dtype: 'int32' }), { reduction: 'sum' });
  expect(loss.item()).toBeCloseTo(value, 14);
  loss.backward();
  Array.from(x.grad!.data()).forEach((g, i) => expect(g).toBeCloseTo(grad[i], 14));
});
