/**
 * Value checks on device data (index ranges, label domains): a bool tensor that must be all true.
 *
 * 'eager' (the default) reduces it on its backend and reads back one boolean at once, so the error
 * is raised before the op that would use the bad values. 'deferred' keeps the reduced boolean on the
 * device and checks every pending one at the next host read (`data()`, `item()`, …): a training step
 * on a GPU then makes no host read until its loss is read, at the cost of raising at that read
 * rather than at the op (kernels may meanwhile have run on the bad values; nothing reads them).
 */
import { GraftError } from './errors.js';
import { keep } from './memory.js';
import * as p from './ops/primitives.js';
import type { Tensor } from './tensor.js';

export type CheckMode = 'eager' | 'deferred';

let mode: CheckMode = 'eager';
const pending: { ok: Tensor; fail: () => GraftError }[] = [];

/** The current check mode. */
export const checkMode = (): CheckMode => mode;

/** Sets when value checks read back: 'eager' at the op (default) or 'deferred' to the next host read. Switching to 'eager' runs the pending ones. */
export function setCheckMode(next: CheckMode): void {
  if (next !== 'eager' && next !== 'deferred') throw new GraftError('setCheckMode', `expected 'eager' or 'deferred', got ${String(next)}`);
  mode = next;
  if (next === 'eager') runPendingChecks();
}

/**
 * Requires every element of the bool tensor `ok` to be true; `fail` builds the error otherwise. In
 * eager mode it may read the values to name a bad one; in deferred mode it is called at the read.
 */
export function requireAll(ok: Tensor, fail: () => GraftError): void {
  if (ok.size === 0) return;
  const all = ok.all();
  if (mode === 'eager') {
    if (!p.read(all)[0]) throw fail();
    return;
  }
  pending.push({ ok: keep(all), fail }); // kept: an enclosing tidy must not free it before the read
}

/** Reads every pending deferred check (one boolean each) and throws the first failure's error. Called by every host read. */
export function runPendingChecks(): void {
  while (pending.length) {
    const { ok, fail } = pending.shift()!;
    const passed = p.read(ok)[0];
    ok.dispose();
    if (!passed) {
      for (const rest of pending.splice(0)) rest.ok.dispose();
      throw fail();
    }
  }
}
