// The cpu backend reads synchronously; the async forms resolve to the same values through `read`.
import '@graft/backend-cpu';
import { tensor } from '@graft/core';
import { expect, it } from 'vitest';

it('dataAsync, toArrayAsync and itemAsync on cpu', async () => {
  const x = tensor([[1, 2], [3, 4]], { backend: 'cpu' });
  expect(Array.from(await x.T.dataAsync())).toEqual([1, 3, 2, 4]);
  expect(await x.toArrayAsync()).toEqual([[1, 2], [3, 4]]);
  expect(await x.mean().itemAsync()).toBe(2.5);
});
