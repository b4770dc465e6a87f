/** Value checks: eager ones raise at the op; deferred ones read nothing until the next host read, then raise there. */
import './setup.js';
import { afterEach, describe, expect, test } from 'vitest';
import { IndexError, createReferenceBackend, registerBackend, setCheckMode, tensor, tidy } from '../src/index.js';

let reads = 0;
registerBackend('read-counter', () => {
  const b = createReferenceBackend();
  return { ...b, read: (x) => { reads++; return b.read(x); } };
});
const on = { backend: 'read-counter' };
const x = () => tensor([[1, 2, 3], [4, 5, 6]], on);
const index = (values: number[][]) => tensor(values, { dtype: 'int32', ...on });

afterEach(() => setCheckMode('eager'));

describe('value checks', () => {
  test('eager (default): a bad index raises at the op, naming it', () => {
    expect(() => x().gather(1, index([[0], [3]]))).toThrow(/gather: index 3 is out of range for a dim of size 3/);
  });

  test('deferred: no read at the op; the next host read raises', () => {
    setCheckMode('deferred');
    reads = 0;
    const y = x().gather(1, index([[0], [3]]));
    expect(reads).toBe(0);
    expect(() => y.data()).toThrow(IndexError);
    expect(() => y.data()).not.toThrow(); // the failed check is gone
  });

  test('deferred: good indices cost one boolean read at the next read, even across tidy', () => {
    setCheckMode('deferred');
    const y = tidy(() => x().gather(1, index([[2], [0]])));
    reads = 0;
    expect(Array.from(y.data())).toEqual([3, 4]);
    expect(reads).toBe(2);
  });

  test('deferred: N pending checks cost one read between them, not one each', () => {
    setCheckMode('deferred');
    const y = tidy(() => {
      let r = x();
      for (let i = 0; i < 5; i++) r = r.gather(1, index([[2, 1, 0], [0, 2, 1]]));
      return r;
    });
    reads = 0;
    expect(Array.from(y.data())).toEqual([3, 2, 1, 4, 6, 5]);
    expect(reads).toBe(2); // the five checks' booleans together, then the values
  });

  test('deferred: of several failures, the first check queued raises, and none stays pending', () => {
    setCheckMode('deferred');
    const a = x().gather(1, index([[0], [1]]));
    x().gather(1, index([[0], [7]]));
    x().indexSelect(0, tensor([5], { dtype: 'int32', ...on }));
    reads = 0;
    expect(() => a.data()).toThrow(/^gather: an index is out of range/);
    expect(reads).toBe(1);
    expect(() => a.data()).not.toThrow();
  });

  test('switching back to eager runs the pending checks', () => {
    setCheckMode('deferred');
    x().indexSelect(0, tensor([5], { dtype: 'int32', ...on }));
    expect(() => setCheckMode('eager')).toThrow(IndexError);
  });
});
