/**
 * Declared options: each objective lists its options as data (type, range, default, one-line doc),
 * and one validator (`resolveOptions`) checks a call's options against that list before any kernel
 * runs. The declaration is the one source of every default, of the TypeScript options type
 * (`OptionsOf`) and of the README's option column.
 */
import { ArgumentError, Generator, isFloat, Tensor, tensor, type NestedArray, checkNames } from '@graft/core';

export type OptionType = 'number' | 'integer' | 'boolean' | 'enum' | 'tensor' | 'number-or-tensor' | 'numbers' | 'size' | 'function' | 'generator';

/**
 * One declared option. `In` is what a caller may pass, `Out` what the loss receives once resolved
 * (plain arrays for tensor options arrive as tensors). A `default` of null means "derived from the
 * inputs when absent" (documented in `doc`).
 */
export interface Option<In = unknown, Out = In> {
  readonly type: OptionType;
  readonly default: Out;
  readonly doc: string;
  /** Interval notation, e.g. '[0, 1]', '(0, inf)', '[0, inf)'; numbers (and each list entry) must lie in it. */
  readonly range?: string;
  /** The allowed strings of an 'enum'. */
  readonly values?: readonly string[];
  /** Symbolic shape of a tensor option, bound against the tensor arguments' sizes (['C'], ['N'], ['...']). */
  readonly shape?: readonly (string | number)[];
  /** Element type of a tensor option (default 'float': plain arrays take the input's float dtype; 'any': masks of bool or 0/1). */
  readonly dtype?: TensorKind;
  /** Phantom field carrying the accepted type (never set). */
  readonly accepts?: In;
}

export type OptionSchema = Readonly<Record<string, Option<any, any>>>;
/** What a caller may pass: every declared option, each optional. */
export type OptionsOf<S extends OptionSchema> = { -readonly [K in keyof S]?: S[K] extends Option<infer In, any> ? In : never };
/** What the loss receives: every option present, at its default when not given. */
export type Resolved<S extends OptionSchema> = { -readonly [K in keyof S]: S[K] extends Option<any, infer Out> ? Out : never };

type Shape = readonly (string | number)[];
type TensorKind = 'float' | 'int' | 'bool' | 'any';
type TensorLike = Tensor | NestedArray | readonly number[];

/** Constructors of declared options: `opt.number(2, 'γ: the focusing exponent.', '[0, inf)')`. */
export const opt = {
  number<D extends number | null>(def: D, doc: string, range?: string): Option<number | (D & null), number | (D & null)> {
    return { type: 'number', default: def as number, doc, range };
  },
  integer<D extends number | null>(def: D, doc: string, range?: string): Option<number | (D & null), number | (D & null)> {
    return { type: 'integer', default: def as number, doc, range };
  },
  boolean(def: boolean, doc: string): Option<boolean> {
    return { type: 'boolean', default: def, doc };
  },
  oneOf<const V extends readonly string[]>(values: V, def: V[number], doc: string): Option<V[number]> {
    return { type: 'enum', values, default: def, doc };
  },
  /** A tensor (or a plain array, converted on the first input's backend and, for 'float', its dtype); default null. */
  tensor(shape: Shape, doc: string, dtype: TensorKind = 'float'): Option<TensorLike | null, Tensor | null> {
    return { type: 'tensor', default: null, doc, shape, dtype };
  },
  /** A number, or a tensor (or plain array) broadcast like `shape`. */
  numberOrTensor<D extends number | null>(def: D, shape: Shape, doc: string, range?: string): Option<number | TensorLike | (D & null), number | Tensor | (D & null)> {
    return { type: 'number-or-tensor', default: def as number, doc, shape, range };
  },
  numbers(def: readonly number[], doc: string, range?: string): Option<readonly number[]> {
    return { type: 'numbers', default: def, doc, range };
  },
  /** A window size: a positive integer k (= [k, k]) or a pair [kh, kw]. */
  size<D extends number | null>(def: D, doc: string): Option<number | readonly [number, number] | (D & null), number | readonly [number, number] | (D & null)> {
    return { type: 'size', default: def as number, doc, range: '[1, inf)' };
  },
  /** A callback (a distance, a potential); null: the built-in one described in `doc`. */
  func<F>(doc: string): Option<F | null> {
    return { type: 'function', default: null, doc };
  },
  /** A random Generator for a stochastic objective (default: core's default generator). */
  generator(): Option<Generator | undefined> {
    return { type: 'generator', default: undefined, doc: 'Random generator (default: the global one).' };
  },
  reduction<D extends 'mean' | 'sum' | 'none' = 'mean'>(def: D = 'mean' as D): Option<'mean' | 'sum' | 'none'> {
    return { type: 'enum', values: ['mean', 'sum', 'none'], default: def, doc: "'none': the per-sample values; 'sum' or 'mean' over them (PyTorch's meaning)." };
  },
};

/** The defaults of a schema, as a plain object (entry.defaults). */
export function defaultsOf<S extends OptionSchema>(schema: S): Resolved<S> {
  return Object.fromEntries(Object.entries(schema).map(([k, o]) => [k, o.default])) as Resolved<S>;
}

// ---- ranges --------------------------------------------------------------------------------------

interface Interval { lo: number; hi: number; loOpen: boolean; hiOpen: boolean }
const parsed = new Map<string, Interval>();

function parseRange(range: string): Interval {
  let r = parsed.get(range);
  if (r) return r;
  const m = /^([[(])\s*(-?inf|[-+.\de]+)\s*,\s*(-?inf|[-+.\de]+)\s*([\])])$/.exec(range);
  if (!m) throw new Error(`option range '${range}' is not interval notation like '[0, 1]' or '(0, inf)'`);
  const num = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
  r = { lo: num(m[2]), hi: num(m[3]), loOpen: m[1] === '(', hiOpen: m[4] === ')' };
  parsed.set(range, r);
  return r;
}

/** Whether x lies in `range` (a finite number when no range is declared). */
export function inRange(x: number, range = '(-inf, inf)'): boolean {
  const { lo, hi, loOpen, hiOpen } = parseRange(range);
  return (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
}

// ---- validation ------------------------------------------------------------------------------------

const show = (v: unknown): string =>
  typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.slice(0, 6).map(show).join(', ')}${v.length > 6 ? ', …' : ''}]`
    : v instanceof Tensor ? `a Tensor of shape [${v.shape.join(', ')}] (${v.dtype})` : typeof v === 'function' ? 'a function' : String(v);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v);

const expected = (o: Option): string => {
  switch (o.type) {
    case 'number': return `a number in ${o.range ?? '(-inf, inf)'}`;
    case 'integer': return `an integer in ${o.range ?? '(-inf, inf)'}`;
    case 'boolean': return 'true or false';
    case 'enum': return `one of ${o.values!.map(show).join(', ')}`;
    case 'tensor': return `a ${o.dtype === 'any' ? '' : `${o.dtype ?? 'float'} `}Tensor of shape [${o.shape!.join(', ')}] or a plain array`;
    case 'number-or-tensor': return `a number in ${o.range ?? '(-inf, inf)'} or a Tensor broadcastable to [${o.shape!.join(', ')}]`;
    case 'numbers': return `an array of numbers${o.range ? ` in ${o.range}` : ''}`;
    case 'size': return 'a positive integer or a pair of them';
    case 'function': return 'a function';
    case 'generator': return 'a Generator';
    default: return o.type satisfies never;
  }
};

/** Plain array → tensor on `like`'s backend ('float': `like`'s dtype when it is a float tensor). */
function toTensor(loss: string, name: string, o: Option, v: NestedArray, like: Tensor | undefined): Tensor {
  const flat = (v as unknown[]).flat(Infinity);
  const allBool = flat.length > 0 && flat.every((x) => typeof x === 'boolean');
  if (!(o.dtype === 'any' && allBool) && flat.some((x) => typeof x !== 'number' || Number.isNaN(x) || (o.dtype === 'int' && !Number.isInteger(x)))) throw new ArgumentError(loss, `option '${name}': expected ${expected(o)}, got ${show(v)} (entries must be numbers, not NaN)`);
  const dtype = o.dtype === 'int' ? 'int32' : o.dtype === 'bool' || allBool ? 'bool' : like && isFloat(like.dtype) ? like.dtype : 'float32';
  return tensor(v, { dtype, backend: like?.backendName });
}

/** The tensor option's shape against the sizes its symbols were bound to by the tensor arguments. */
function checkTensorShape(loss: string, name: string, o: Option, t: Tensor, sizes: ReadonlyMap<string, number>, broadcast: boolean): void {
  const shape = o.shape ?? ['...'];
  if (shape.includes('...')) return;
  const want = shape.map((s) => (typeof s === 'number' ? s : sizes.get(s)));
  const ok = broadcast
    ? t.ndim <= want.length && t.shape.every((n, i) => { const w = want[want.length - t.ndim + i]; return n === 1 || w === undefined || n === w; })
    : t.ndim === want.length && t.shape.every((n, i) => want[i] === undefined || n === want[i]);
  if (!ok) {
    const bound = shape.map((s, i) => (typeof s === 'string' && want[i] !== undefined ? `${s}=${want[i]}` : String(s))).join(', ');
    throw new ArgumentError(loss, `option '${name}': expected shape [${bound}]${broadcast ? ' (or broadcastable to it)' : ''}, got [${t.shape.join(', ')}]`);
  }
}

function resolveOne(loss: string, name: string, o: Option, v: unknown, like: Tensor | undefined): unknown {
  const bad = (): never => { throw new ArgumentError(loss, `option '${name}': expected ${expected(o)}, got ${show(v)}`); };
  if (v === undefined) return o.default;
  if (v === null) return o.default === null ? null : bad();
  const num = (x: unknown, integer: boolean) => typeof x === 'number' && !Number.isNaN(x) && inRange(x, o.range) && (!integer || Number.isInteger(x));
  switch (o.type) {
    case 'number': case 'integer': return num(v, o.type === 'integer') ? v : bad();
    case 'boolean': return typeof v === 'boolean' ? v : bad();
    case 'enum': return typeof v === 'string' && o.values!.includes(v) ? v : bad();
    case 'numbers': return Array.isArray(v) && v.every((x) => num(x, false)) ? v : bad();
    case 'size': return num(v, true) || (Array.isArray(v) && v.length === 2 && v.every((x) => num(x, true))) ? v : bad();
    case 'function': return typeof v === 'function' ? v : bad();
    case 'generator': return v instanceof Generator ? v : bad();
    case 'tensor': case 'number-or-tensor': {
      if (o.type === 'number-or-tensor' && typeof v === 'number') return num(v, false) ? v : bad();
      const t = Array.isArray(v) ? toTensor(loss, name, o, v as NestedArray, like) : v instanceof Tensor ? v : bad();
      const dtypeOk = o.dtype === 'any' || (o.dtype === 'int' ? t.dtype === 'int32' : o.dtype === 'bool' ? t.dtype === 'bool' : isFloat(t.dtype));
      return dtypeOk ? t : bad();
    }
    default: return o.type satisfies never;
  }
}

/**
 * Checks `given` against `schema` and returns every option, defaults filled in. Throws an
 * ArgumentError naming `loss` for a non-object, an unknown name (with the closest declared names),
 * a wrong type, NaN, a value out of range, or a tensor option of the wrong dtype or shape.
 */
export function resolveOptions<S extends OptionSchema>(loss: string, schema: S, given: unknown, like?: Tensor): Resolved<S> {
  if (given !== undefined && !isPlainObject(given)) throw new ArgumentError(loss, `expected an options object, got ${show(given)}`);
  const opts = given ?? {};
  checkNames(loss, Object.keys(schema), Object.keys(opts));
  return Object.fromEntries(Object.entries(schema).map(([k, o]) => [k, resolveOne(loss, k, o, opts[k], like)])) as Resolved<S>;
}

/** Tensor options against the sizes the tensor arguments bound (['C'] must have C entries). */
export function checkOptionShapes<S extends OptionSchema>(loss: string, schema: S, resolved: Resolved<S>, sizes: ReadonlyMap<string, number>): void {
  for (const [k, o] of Object.entries(schema)) {
    const v = (resolved as Record<string, unknown>)[k];
    if (v instanceof Tensor) checkTensorShape(loss, k, o, v, sizes, o.type === 'number-or-tensor');
  }
}

