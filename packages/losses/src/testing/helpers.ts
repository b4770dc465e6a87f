/** Shared pieces of the loss suites: seeded calls of an entry, the bench's bad inputs, a kernel-counting backend. */
import { type Backend, type DType, Generator, getBackend, hasBackend, registerBackend, type Tensor } from '@graft/core';
import type { LossEntry } from '../define.js';
import { sampleArgs } from '../samples.js';

/** Calls `entry.fn` with options (and, for stochastic entries, a freshly seeded generator so that repeated calls agree). */
export function callEntry(entry: LossEntry, tensors: readonly (Tensor | undefined)[], opts: Record<string, unknown> = {}): Tensor {
  const seeded = entry.stochastic ? { generator: new Generator(1234) } : {};
  return entry.fn(...tensors.slice(0, entry.args.length), { ...seeded, ...opts });
}

/** One bad input of the generic bench: `make` (null where the entry has no argument it applies to) draws it, `error` matches the GraftError's message. */
export interface BadInputCase {
  name: string;
  error: RegExp;
  /** Whether the error comes from a value-domain check, which runs device kernels (a reduction read back as one scalar). */
  domain: boolean;
  make: ((dtype?: DType) => (Tensor | undefined)[]) | null;
}

/** A wrong shape, a label out of range and a wrong dtype, for any entry (valid inputs of `dtype` floats otherwise). */
export function badInputCases(entry: LossEntry): BadInputCase[] {
  // Two extra dims make a shape wrong only for an argument of fixed rank or one sharing a size with another
  // argument: a lone ['...', 'C'] (a normaliser over any axis) accepts every tensor of rank >= 1.
  const required = entry.args.filter((a) => !a.optional);
  const constrained = (a: LossEntry['args'][number]) => !a.shape.includes('...')
    || required.some((b) => b !== a && b.shape.some((s) => s !== '...' && a.shape.includes(s)));
  const first = entry.args.findIndex((a) => !a.optional && a.shape.length > 0 && constrained(a));
  const label = entry.args.findIndex((a) => a.domain === 'label' && !a.optional);
  // The argument whose size bounds the label (its class symbol); a label bounded only by an optional argument
  // (or by nothing) has no out-of-range value to draw.
  const classes = label < 0 ? 'C' : entry.args[label].classes ?? 'C';
  const owner = entry.args.findIndex((a) => !a.optional && a.shape.includes(classes));
  const float = entry.args.findIndex((a) => a.dtype === 'float' && !a.optional && !a.or);
  return [
    {
      name: 'a wrong shape',
      error: /expected/,
      domain: false,
      make: first < 0 ? null : (dtype) => {
        const xs = sampleArgs(entry.args, { seed: 5, dtype });
        xs[first] = xs[first]!.unsqueeze(-1).expand([...xs[first]!.shape, 2]).unsqueeze(0).expand([3, ...xs[first]!.shape, 2]);
        return xs;
      },
    },
    {
      name: 'a label out of range',
      error: /out of range/,
      domain: true,
      make: label < 0 || owner < 0 ? null : (dtype) => {
        const xs = sampleArgs(entry.args, { seed: 6, dtype });
        const c = xs[owner]!.shape[entry.args[owner].shape.indexOf(classes)];
        xs[label] = xs[label]!.mul(0).add(c);
        return xs;
      },
    },
    {
      name: 'a wrong dtype',
      error: /dtype|expected a float/,
      domain: false,
      make: float < 0 ? null : (dtype) => {
        const xs = sampleArgs(entry.args, { seed: 7, dtype });
        xs[float] = xs[float]!.int();
        return xs;
      },
    },
  ];
}

export interface Spy {
  /** The registered name of the counting backend. */
  name: string;
  computeCalls: () => number;
  reset: () => void;
}

/**
 * Registers `spy-<base>`: backend `base` counting compute-primitive calls (storage calls — fromArray,
 * read, fill, dispose — are not counted). Registering it again returns the same counter.
 */
export function spyBackend(base = 'cpu'): Spy {
  const name = `spy-${base}`;
  const existing = spies.get(name);
  if (existing && hasBackend(name)) return existing;
  let calls = 0;
  const storage = new Set(['name', 'dtypes', 'fromArray', 'read', 'fill', 'dispose']);
  registerBackend(name, () => new Proxy(getBackend(base), {
    get(target: Backend, key: string | symbol) {
      const value = Reflect.get(target, key);
      if (typeof key !== 'string' || storage.has(key) || typeof value !== 'function') return value;
      return (...args: unknown[]) => { calls++; return (value as (...a: unknown[]) => unknown).apply(target, args); };
    },
  }));
  const spy = { name, computeCalls: () => calls, reset: () => { calls = 0; } };
  spies.set(name, spy);
  return spy;
}
const spies = new Map<string, Spy>();
