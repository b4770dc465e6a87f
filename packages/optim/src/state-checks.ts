/** loadStateDict's check of one parameter's saved state against what the optimizer would create for it. */
import { ArgumentError } from '@graft/core';
import type { JsonValue } from './optimizer.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** The shape of a nested array of numbers, or a string saying what is wrong with it. */
function nestedShape(v: JsonValue): number[] | string {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : `a non-finite entry ${v}`;
  if (!Array.isArray(v)) return `a ${v === null ? 'null' : typeof v} entry`;
  const inner = v.map(nestedShape);
  const bad = inner.find((s) => typeof s === 'string');
  if (bad !== undefined) return bad;
  const first = inner[0] as number[] | undefined;
  if (inner.some((s) => fmt(s as number[]) !== fmt(first ?? []))) return 'ragged rows';
  return [v.length, ...(first ?? [])];
}

/**
 * Checks `saved` (the state of parameter `index`, shape `paramShape`) against `fresh` (the entries
 * initState creates: a tensor's shape, a number, or null for a buffer created on first use, which is
 * parameter-shaped once it exists). Throws an ArgumentError naming what is missing, extra, of the wrong
 * shape or not a number.
 */
export function checkState(
  owner: string, index: number, paramShape: readonly number[], saved: Record<string, JsonValue>,
  fresh: readonly (readonly [string, readonly number[] | number | null | unknown])[], scalarKeys: ReadonlySet<string>, dynamic: RegExp | null = null,
): void {
  const where = `state of parameter ${index}`;
  const expected = new Map<string, unknown>(fresh);
  if (dynamic) for (const k of Object.keys(saved ?? {})) if (dynamic.test(k)) expected.set(k, null);
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) throw new ArgumentError(owner, `${where}: expected an object, got ${String(saved)}`);
  const missing = [...expected.keys()].filter((k) => !(k in saved));
  const extra = Object.keys(saved).filter((k) => !expected.has(k));
  if (missing.length || extra.length) {
    throw new ArgumentError(owner, `${where}: ${[missing.length ? `missing ${missing.map((k) => `'${k}'`).join(', ')}` : '', extra.length ? `unknown ${extra.map((k) => `'${k}'`).join(', ')}` : ''].filter(Boolean).join('; ')} (expected ${[...expected.keys()].join(', ')}; a state dict from another optimizer?)`);
  }
  for (const [k, init] of expected) {
    const v = saved[k];
    if (scalarKeys.has(k) || typeof init === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || (k === 'step' && !(Number.isInteger(v) && v >= 0))) {
        throw new ArgumentError(owner, `${where}: '${k}' must be a finite number${k === 'step' ? ' (a non-negative integer)' : ''}, got ${JSON.stringify(v)}`);
      }
      continue;
    }
    if (v === null && init === null) continue;
    const want = Array.isArray(init) ? (init as number[]) : paramShape;
    const got = nestedShape(v);
    if (typeof got === 'string') throw new ArgumentError(owner, `${where}: '${k}' must be a nested array of finite numbers, found ${got}`);
    if (fmt(got) !== fmt(want)) throw new ArgumentError(owner, `${where}: '${k}' has shape ${fmt(got)}, expected ${fmt(want)}`);
  }
}
