/**
 * Just enough of vitest for core's conformance suite to run in a page: `describe` and `test` collect
 * (`test.skip` records a skip), `expect` has the matchers the suite uses, and `runCollected` runs the
 * tests in order, yielding to the browser between them. The conformance page's Vite build aliases
 * 'vitest' to this file.
 */

type Body = () => void | Promise<void>;
interface Collected { name: string; body?: Body }
const collected: Collected[] = [];
const path: string[] = [];

export function describe(name: string, body: () => void): void {
  path.push(name);
  try {
    body();
  } catch (e) {
    // a describe body that throws is a failure of its own, as in vitest
    collected.push({ name: [...path, '(collecting)'].join(' > '), body: () => { throw e; } });
  } finally {
    path.pop();
  }
}

export function test(name: string, body: Body): void {
  collected.push({ name: [...path, name].join(' > '), body });
}
test.skip = (name: string, _body?: Body): void => { collected.push({ name: [...path, name].join(' > ') }); };
export const it = test;

export interface Failure { name: string; message: string }
export interface RunSummary { passed: number; failed: number; skipped: number; total: number; seconds: number; failures: Failure[]; done: boolean }

/** Runs every collected test; `progress` is called with the running counts about every 250 ms. */
export async function runCollected(progress: (s: RunSummary) => void = () => {}): Promise<RunSummary> {
  const s: RunSummary = { passed: 0, failed: 0, skipped: 0, total: collected.length, seconds: 0, failures: [], done: false };
  const start = performance.now();
  let yielded = start;
  for (const t of collected) {
    if (!t.body) s.skipped++;
    else {
      try {
        await t.body();
        s.passed++;
      } catch (e) {
        s.failed++;
        s.failures.push({ name: t.name, message: e instanceof Error ? e.message : String(e) });
      }
    }
    if (performance.now() - yielded > 250) {
      s.seconds = (performance.now() - start) / 1000;
      progress(s);
      await new Promise((resolve) => setTimeout(resolve, 0));
      yielded = performance.now();
    }
  }
  s.seconds = (performance.now() - start) / 1000;
  s.done = true;
  progress(s);
  return s;
}

// ---- expect: the matchers core's suite uses --------------------------------------------------

const show = (v: unknown): string => {
  try { return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v); } catch { return String(v); }
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function thrown(fn: unknown): { threw: boolean; error?: unknown } {
  try { (fn as () => void)(); return { threw: false }; } catch (error) { return { threw: true, error }; }
}

type Ctor = abstract new (...args: never[]) => unknown;

function matchers(actual: unknown, message: string | undefined, negate: boolean) {
  const check = (pass: boolean, what: string) => {
    if (pass === negate) throw new Error(`${message ? `${message}: ` : ''}expected ${show(actual)} ${negate ? 'not ' : ''}${what}`);
  };
  return {
    toBe: (e: unknown) => check(Object.is(actual, e), `to be ${show(e)}`),
    toEqual: (e: unknown) => check(deepEqual(actual, e), `to equal ${show(e)}`),
    toContain: (e: unknown) => check((actual as { includes(x: unknown): boolean }).includes(e), `to contain ${show(e)}`),
    toBeInstanceOf: (c: Ctor) => check(actual instanceof c, `to be an instance of ${c.name}`),
    toMatch: (p: RegExp | string) => check(typeof actual === 'string' && (typeof p === 'string' ? actual.includes(p) : p.test(actual)), `to match ${String(p)}`),
    toThrow: (e?: Ctor | RegExp | string) => {
      const r = thrown(actual);
      const msg = r.error instanceof Error ? r.error.message : String(r.error);
      const pass = r.threw && (e === undefined
        || (typeof e === 'string' ? msg.includes(e) : e instanceof RegExp ? e.test(msg) : r.error instanceof e));
      if (pass === negate) {
        throw new Error(`${message ? `${message}: ` : ''}expected the function ${negate ? 'not ' : ''}to throw${e === undefined ? '' : ` ${typeof e === 'function' ? e.name : String(e)}`}${r.threw ? `, it threw ${show(msg)}` : ''}`);
      }
    },
  };
}

export function expect(actual: unknown, message?: string) {
  return { ...matchers(actual, message, false), not: matchers(actual, message, true) };
}
