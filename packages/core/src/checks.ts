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

/**
 * Checks every pending deferred check and throws the first failure's error. Called by every host
 * read. The pending booleans of one backend are concatenated on it and read back together: one
 * read per backend, however many checks a step queued.
 */
export function runPendingChecks(): void {
  if (!pending.length) return;
  const checks = pending.splice(0);
  const passed: boolean[] = [];
  try {
    const byBackend = new Map<string, number[]>();
    checks.forEach(({ ok }, i) => {
      const at = byBackend.get(ok.backendName);
      if (at) at.push(i);
      else byBackend.set(ok.backendName, [i]);
    });
    for (const at of byBackend.values()) {
      const rows = at.map((i) => checks[i].ok.reshape([1]));
      const all = rows.length === 1 ? rows[0] : p.concat(rows, 0, [rows.length]);
      const values = p.read(all);
      at.forEach((i, j) => { passed[i] = values[j] !== 0; });
      for (const t of new Set([...rows, all])) t.dispose();
    }
  } finally {
    for (const { ok } of checks) ok.dispose();
  }
  const failed = checks.find((_, i) => !passed[i]);
  if (failed) throw failed.fail();
}
