/** Turning a list of items into a batch (PyTorch's default_collate). */
import { tensor } from '../creation.js';
import { ArgumentError } from '../errors.js';
import { stack } from '../ops/movement.js';
import { Tensor } from '../tensor.js';

/**
 * Stacks tensors along a new first dim; numbers become a float32 tensor (int32 when every one is
 * an integer, as labels are) and booleans a bool tensor; arrays and plain objects are collated
 * position by position and key by key, so [x, y] items give [X, Y] batches.
 */
export function defaultCollate(items: readonly unknown[]): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (items.length === 0) throw new ArgumentError('defaultCollate', 'cannot collate an empty batch');
  const first = items[0];
  if (first instanceof Tensor) return stack(items as Tensor[], 0);
  if (typeof first === 'number') {
    const xs = items as number[];
    return tensor(xs, { dtype: xs.every(Number.isInteger) ? 'int32' : 'float32' });
  }
  if (typeof first === 'boolean') return tensor(items as boolean[]);
  if (Array.isArray(first)) {
    const n = first.length;
    if (!items.every((it) => Array.isArray(it) && it.length === n)) throw new ArgumentError('defaultCollate', `each item in the batch must be an array of ${n} entries`);
    return first.map((_, i) => defaultCollate(items.map((it) => (it as unknown[])[i])));
  }
  if (typeof first === 'object' && first !== null && Object.getPrototypeOf(first) === Object.prototype) {
    return Object.fromEntries(Object.keys(first).map((k) => [k, defaultCollate(items.map((it) => (it as Record<string, unknown>)[k]))]));
  }
  throw new ArgumentError('defaultCollate', `cannot collate items of type ${first === null ? 'null' : typeof first}; pass a collate function`);
}
