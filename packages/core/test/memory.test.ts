/**
 * Storage lifetime (memory.ts): dispose(), tidy(fn), keep(), and how in-place updates and
 * backward() interact with them. Checked on a 'counting' backend — the reference backend with a
 * ledger of live buffers whose dispose() throws on a double free or an unknown buffer, and whose
 * read() throws on a freed one — so a test sees exactly which storage was freed.
 */
import './setup.js';
import { tidyTrainingLoop } from '../src/testing/memory-loop.js';
import { beforeEach, describe, expect, test } from 'vitest';
import {
  ArgumentError, type Backend, createReferenceBackend, dispose, fromTyped, keep, nn, noGrad, registerBackend, tidy, type Tensor,
} from '../src/index.js';

const live = new Set<unknown>();
function countingBackend(): Backend {
  const base = createReferenceBackend() as any;
  const b: any = { ...base, name: 'counting' };
  const track = <T>(x: T): T => { live.add(x); return x; };
  for (const k of ['fromArray', 'fill', 'cast', 'contiguous', 'unary', 'binary', 'where', 'reduce', 'argReduce', 'cumsum', 'matmul', 'gather', 'scatterAdd', 'indexSelect', 'concat']) {
    b[k] = (...args: unknown[]) => track(base[k](...args));
  }
  b.sort = (...args: unknown[]) => { const r = base.sort(...args); track(r.values); track(r.indices); return r; };
  b.dispose = (x: unknown) => { if (!live.delete(x)) throw new Error('dispose of a buffer that is not live (double free?)'); freed.add(x as object); };
  b.read = (x: { buffer: unknown }) => { if (freed.has(x.buffer as object)) throw new Error('read of a freed buffer'); return base.read(x); };
  return b as Backend;
}
const freed = new WeakSet<object>(); // buffers given to dispose: reading one is a use after free
registerBackend('counting', countingBackend);
registerBackend('counting-2', countingBackend);

const on = { backend: 'counting' } as const;
const t = (values: number[], shape = [values.length]) => fromTyped(values, shape, on);

describe('memory: dispose, tidy, keep', () => {
  beforeEach(() => live.clear());

  test('tidy frees what fn created except what it returns', () => {
    const x = t([1, 2, 3]);
    const before = live.size;
    const y = tidy(() => x.mul(2).add(1).exp().sum());
    expect(live.size).toBe(before + 1);
    expect(y.item()).toBeCloseTo(Math.exp(3) + Math.exp(5) + Math.exp(7), 3);
    expect(x.data()).toEqual(new Float32Array([1, 2, 3])); // inputs from outside are untouched
  });

  test('results in arrays, objects and Maps survive; nested tidies hand results outwards', () => {
    const x = t([1, 2]);
    const before = live.size;
    const r = tidy(() => {
      const inner = tidy(() => ({ a: x.add(1), junk: 3 }));
      x.mul(5); // garbage
      return [inner.a, new Map([['b', x.neg()]])] as const;
    });
    expect(live.size).toBe(before + 2);
    expect(Array.from(r[0].data())).toEqual([2, 3]);
    expect(Array.from(r[1].get('b')!.data())).toEqual([-1, -2]);
  });

  test('keep() exempts a tensor; dispose() frees a tensor, an array of them, and is idempotent', () => {
    const before = live.size;
    let kept!: Tensor;
    tidy(() => { kept = keep(t([4, 5]).mul(2)); t([9]).neg(); });
    expect(live.size).toBe(before + 1);
    expect(Array.from(kept.data())).toEqual([8, 10]);
    kept.dispose();
    kept.dispose();
    expect(kept.isDisposed).toBe(true);
    expect(live.size).toBe(before);
    const pair = [t([1]), t([2])];
    dispose(pair);
    expect(live.size).toBe(before);
  });

  test('a view keeps its storage alive: the storage goes when its last holder is disposed', () => {
    const x = t([1, 2, 3, 4], [2, 2]);
    const v = x.T;
    const before = live.size;
    x.dispose();
    expect(live.size).toBe(before); // v still holds the storage
    expect(Array.from(v.data())).toEqual([1, 3, 2, 4]);
    v.dispose();
    expect(live.size).toBe(before - 1);
  });

  test('a returned tensor keeps its graph, so backward can run after the tidy', () => {
    const w = t([1, 2, 3]).requiresGrad_();
    const loss = tidy(() => w.mul(w).mul(3).sum());
    loss.backward();
    expect(Array.from(w.grad!.data())).toEqual([6, 12, 18]);
  });

  test('an exception inside tidy frees everything it created; async functions are refused', () => {
    const before = live.size;
    expect(() => tidy(() => { t([1]).add(1); throw new Error('boom'); })).toThrow('boom');
    expect(live.size).toBe(before);
    expect(() => tidy(() => Promise.resolve(1) as unknown as number)).toThrow(ArgumentError);
  });

  test('assign inside tidy moves the parameter to its new storage and frees the old one', () => {
    const w = t([1, 2, 3]);
    const before = live.size;
    tidy(() => { w.sub_(t([1, 1, 1]).mul(0.5)); });
    expect(Array.from(w.data())).toEqual([0.5, 1.5, 2.5]);
    expect(live.size).toBe(before); // the new storage replaced the old one
  });

  test('backward inside tidy moves the gradient to the leaf; zeroGrad and the next accumulation free it', () => {
    const w = t([1, 2]).requiresGrad_();
    const before = live.size;
    tidy(() => { w.mul(w).sum().backward(); });
    expect(Array.from(w.grad!.data())).toEqual([2, 4]);
    expect(live.size).toBe(before + 1);
    tidy(() => { w.mul(3).sum().backward(); }); // accumulates: the old gradient is replaced and freed
    expect(Array.from(w.grad!.data())).toEqual([5, 7]);
    expect(live.size).toBe(before + 1);
    w.zeroGrad();
    expect(live.size).toBe(before);
  });

  test("a gradient made inside a tidy outlives it as its leaf's .grad: a step after it and model.to() still read it", () => {
    const model = new nn.Linear(2, 1).to('counting');
    const x = t([1, 2, 3, 4], [2, 2]);
    for (let step = 0; step < 2; step++) {
      tidy(() => {
        model.zeroGrad();
        (model(x) as Tensor).sum().backward();
        noGrad(() => { for (const p of model.parameters()) p.sub_(p.grad!.mul(0.1)); }); // the optimizer step
      });
    }
    expect(model.parameters().every((p) => p.grad && !p.grad.isDisposed)).toBe(true);
    expect(Array.from(model.bias!.grad!.data())).toEqual([2]);
    model.to('counting-2'); // copies each gradient before it lets go of the old one (it used to free it first, then read it)
    expect(Array.from(model.weight.grad!.data())).toEqual([4, 6]);
    expect(model.weight.grad!.backendName).toBe('counting-2');
    model.to('counting');
    expect(Array.from(model.bias!.grad!.data())).toEqual([2]);
  });

  test('1,000 SGD steps of a small MLP inside tidy hold the number of live buffers flat', () => {
    const { counts, losses } = tidyTrainingLoop({ backend: 'counting', steps: 1000, count: () => live.size, seed: 3 });
    expect(new Set(counts.slice(1)).size, `live buffers over 1,000 steps: ${[...new Set(counts)].join(', ')}`).toBe(1);
    expect(losses[999]).toBeLessThan(losses[0]);
  });
});
