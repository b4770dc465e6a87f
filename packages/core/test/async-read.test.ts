/**
 * Asynchronous reads: `dataAsync()`, `toArrayAsync()` and `itemAsync()` give what the sync forms
 * give, through the backend's `readAsync` when it has one and its `read` otherwise.
 */
import './setup.js';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend, registerBackend, tensor, type Backend } from '../src/index.js';
import { createMinimalBackend } from '../src/testing/index.js';

/** The reference backend with an asynchronous read that counts its calls (a stand-in for WebGPU). */
function asyncBackend(): Backend & { asyncReads: number } {
  const ref = createReferenceBackend();
  const b = { ...ref, asyncReads: 0, readAsync: async (x: Parameters<typeof ref.read>[0]) => { b.asyncReads++; return ref.read(x); } };
  return b;
}
const withAsync = asyncBackend();
registerBackend('async-read', () => withAsync);
registerBackend('minimal-read', createMinimalBackend);

describe.each(['cpu', 'minimal-read', 'async-read'])('async reads on %s', (backend) => {
  it('dataAsync, toArrayAsync and itemAsync agree with the sync forms (views and dtypes included)', async () => {
    const x = tensor([[1.5, -2, 3], [4, 5, 6]], { backend });
    const t = x.transpose(0, 1); // a strided view
    expect(Array.from(await t.dataAsync())).toEqual(Array.from(t.data()));
    expect(await t.toArrayAsync()).toEqual([[1.5, 4], [-2, 5], [3, 6]]);
    expect(await x.sum().itemAsync()).toBe(17.5);
    expect(await x.gt(2).toArrayAsync()).toEqual([[false, false, true], [true, true, true]]);
    expect(await tensor([7], { dtype: 'int32', backend }).dataAsync()).toEqual(Int32Array.from([7]));
  });

  it('itemAsync of a many-element tensor throws the same error as item, before any read', () => {
    const x = tensor([1, 2], { backend });
    expect(() => x.itemAsync()).toThrow(/only one-element tensors/);
  });
});

describe('a backend with readAsync', () => {
  it('serves dataAsync through it; sync reads still use read', async () => {
    const x = tensor([1, 2, 3], { backend: 'async-read' });
    const before = withAsync.asyncReads;
    await x.dataAsync();
    expect(withAsync.asyncReads - before).toBe(1);
    x.data();
    expect(withAsync.asyncReads - before).toBe(1);
  });
});
