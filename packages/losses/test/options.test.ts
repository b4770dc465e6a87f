/**
 * Options are contracts: for every registry entry, the declared defaults are what a call without
 * options uses, and every bad option (a misspelt or unknown name, a string for a number, NaN, a
 * value out of range, a bad plain array for a tensor option, an extra positional tensor, a bad
 * reduction) raises an ArgumentError naming the function before any kernel runs (counted on the
 * spy backend). The exported functions are the registry's.
 */
import { describe, expect, test } from 'vitest';
import { ArgumentError, Generator, tensor, type Tensor } from '@graft/core';
import * as losses from '../src/index.js';
import { crossEntropy, type LossEntry, type Option, registry, sampleArgs } from '../src/index.js';
import { binaryCrossEntropyWithLogits } from '../src/pytorch/binary-cross-entropy-with-logits.js';
import { callEntry, spyBackend } from './bench-helpers.js';

const spy = spyBackend();
const onSpy = (xs: (Tensor | undefined)[]) => xs.map((x) => x?.to(spy.name));

/** The value just outside an interval's finite bound (the bound itself when open), or null when unbounded. */
function outside(range: string): number | null {
  const m = /^([[(])\s*(\S+)\s*,\s*(\S+)\s*([\])])$/.exec(range)!;
  const lo = m[2] === '-inf' ? -Infinity : Number(m[2]);
  const hi = m[3] === 'inf' ? Infinity : Number(m[3]);
  if (Number.isFinite(lo)) return m[1] === '(' ? lo : lo - 0.5;
  if (Number.isFinite(hi)) return m[4] === ')' ? hi : hi + 0.5;
  return Infinity; // a finite-only number: ±inf is outside
}

/** A misspelling of `name` one edit away (its second letter dropped, or doubled for one-letter names). */
const misspell = (name: string) => (name.length > 1 ? name[0] + name.slice(2) : name + name);

const numeric = (o: Option) => o.type === 'number' || o.type === 'integer' || o.type === 'number-or-tensor';

interface BadOption { what: string; opts: Record<string, unknown>; error: RegExp }

/** Every bad-option case for an entry, from its declaration alone. */
function badOptions(entry: LossEntry): BadOption[] {
  const fn = entry.fn.name;
  const names = Object.keys(entry.options);
  const cases: BadOption[] = [{ what: 'an unknown option', opts: { notAnOption: 1 }, error: new RegExp(`^${fn}: unknown option 'notAnOption'`) }];
  if (names.length) {
    const wrong = misspell(names[0]);
    if (!names.includes(wrong)) cases.push({ what: `a misspelt option '${wrong}'`, opts: { [wrong]: entry.defaults[names[0]] }, error: new RegExp(`^${fn}: unknown option '${wrong}' \\(did you mean '${names[0]}'`) });
  }
  for (const [name, o] of Object.entries(entry.options)) {
    const about = new RegExp(`^${fn}: option '${name}': expected`);
    if (numeric(o)) {
      cases.push({ what: `a string for number option '${name}'`, opts: { [name]: '1' }, error: about });
      cases.push({ what: `NaN for '${name}'`, opts: { [name]: NaN }, error: about });
      const out = outside(o.range ?? '(-inf, inf)');
      if (out !== null) cases.push({ what: `${out} for '${name}' ∈ ${o.range ?? 'finite'}`, opts: { [name]: out }, error: new RegExp(`^${fn}: option '${name}': expected .* in \\${(o.range ?? '(-inf, inf)').slice(0, 1)}.*got ${out}`) });
    }
    if (o.type === 'integer') cases.push({ what: `a fraction for integer option '${name}'`, opts: { [name]: 1.5 }, error: about });
    if (o.type === 'boolean') cases.push({ what: `a number for boolean option '${name}'`, opts: { [name]: 1 }, error: about });
    if (o.type === 'enum') cases.push({ what: `a value outside enum option '${name}'`, opts: { [name]: 'maen' }, error: new RegExp(`^${fn}: option '${name}': expected one of .*got 'maen'`) });
    if (o.type === 'tensor' || o.type === 'number-or-tensor') {
      cases.push({ what: `a plain array of strings for tensor option '${name}'`, opts: { [name]: ['a', 'b'] }, error: about });
      cases.push({ what: `a string for tensor option '${name}'`, opts: { [name]: 'weights' }, error: about });
    }
  }
  return cases;
}

const all = registry.list();

describe.each(all.map((e) => [e.id, e] as const))('%s', (_id, entry) => {
  test('fn(x, y) equals fn(x, y, entry.defaults)', () => {
    const xs = sampleArgs(entry.args, { seed: 11 });
    const seeded = () => (entry.stochastic ? { generator: new Generator(7) } : {});
    const plain = entry.fn(...xs, seeded());
    const explicit = entry.fn(...xs, { ...entry.defaults, ...seeded() });
    expect(explicit.shape).toEqual(plain.shape);
    expect(Array.from(explicit.data())).toEqual(Array.from(plain.data()));
  });

  test('the exported function is the registry function', () => {
    expect((losses as Record<string, unknown>)[entry.fn.name]).toBe(entry.fn);
    for (const id of [entry.id, ...(entry.aliases ?? [])]) expect(registry.get(id as string)).toBe(entry);
  });

  describe('a bad option raises an ArgumentError naming the function before any kernel runs', () => {
    test.each(badOptions(entry).map((c) => [c.what, c] as const))('%s', (_what, c) => {
      const xs = onSpy(sampleArgs(entry.args, { seed: 12 }));
      spy.reset();
      let error: unknown;
      try { callEntry(entry, xs, c.opts); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toMatch(c.error);
      expect(spy.computeCalls()).toBe(0);
    });

    test('an extra positional tensor', () => {
      const xs = onSpy(sampleArgs(entry.args, { seed: 13 }));
      spy.reset();
      expect(() => entry.fn(...xs.slice(0, entry.args.length), xs[0], {})).toThrow(new RegExp(`^${entry.fn.name}: takes ${entry.args.length} tensor argument`));
      expect(() => entry.fn(...xs.slice(0, entry.args.length), {}, xs[0])).toThrow(new RegExp(`^${entry.fn.name}: unexpected argument after the options object`));
      expect(spy.computeCalls()).toBe(0);
    });
  });
});

describe('options by example', () => {
  const x = () => sampleArgs(registry.get('cross-entropy').args, { seed: 14 });

  test("the issue's misspellings name the closest option", () => {
    const [input, target] = x();
    expect(() => crossEntropy(input!, target!, { labelSmothing: 0.1 } as never)).toThrow("crossEntropy: unknown option 'labelSmothing' (did you mean 'labelSmoothing'?)");
    expect(() => crossEntropy(input!, target!, { label_smoothing: 0.1 } as never)).toThrow("crossEntropy: unknown option 'label_smoothing' (did you mean 'labelSmoothing'?)");
    expect(() => crossEntropy(input!, target!, { labelSmoothing: 1.5 })).toThrow("crossEntropy: option 'labelSmoothing': expected a number in [0, 1], got 1.5");
    expect(() => crossEntropy(input!, target!, { reduction: 'avg' as never })).toThrow("crossEntropy: option 'reduction': expected one of 'mean', 'sum', 'none', got 'avg'");
  });

  test('a plain array for a tensor option equals the tensor (on the input backend and dtype)', () => {
    const [input, target] = x();
    const c = input!.shape[1];
    const w = Array.from({ length: c }, (_, i) => 0.5 + i);
    const fromArray = crossEntropy(input!, target!, { weight: w });
    const fromTensor = crossEntropy(input!, target!, { weight: tensor(w, { dtype: input!.dtype }) });
    expect(fromArray.item()).toBeCloseTo(fromTensor.item(), 12);
    expect(() => crossEntropy(input!, target!, { weight: [1, 2] })).toThrow(`crossEntropy: option 'weight': expected shape [C=${c}], got [2]`);
  });

  test('posWeight: [3, .5, 1] is a per-class weight, not NaN', () => {
    const z = tensor([[0.5, -1, 2], [1, 0.3, -0.2]], { dtype: 'float64' });
    const y = tensor([[1, 0, 1], [0, 1, 0]], { dtype: 'float64' });
    const out = binaryCrossEntropyWithLogits(z, y, { posWeight: [3, 0.5, 1], reduction: 'none' });
    const expected = binaryCrossEntropyWithLogits(z, y, { posWeight: tensor([3, 0.5, 1], { dtype: z.dtype }), reduction: 'none' });
    expect(Array.from(out.data()).every(Number.isFinite)).toBe(true);
    expect(Array.from(out.data())).toEqual(Array.from(expected.data()));
  });

  test('registry.get names the closest ids for a typo', () => {
    expect(() => registry.get('cross-entropi' as string)).toThrow("registry.get: no objective with id 'cross-entropi' (did you mean 'cross-entropy'");
  });
});

// Type tests (checked by tsc, which includes the test files): registry.get is typed per id.
export const typed: typeof crossEntropy = registry.get('cross-entropy').fn;
export const viaAlias: typeof binaryCrossEntropyWithLogits = registry.get('bce-with-logits').fn;
// @ts-expect-error a misspelt id is a compile error
export const typo = () => registry.get('cross-entropi');
// @ts-expect-error an undeclared option is a compile error
export const undeclared = (a: Tensor, b: Tensor) => crossEntropy(a, b, { labelSmothing: 0.1 });
