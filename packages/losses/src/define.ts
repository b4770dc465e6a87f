/**
 * defineLoss: turns one objective's function, argument specs and declared options into a registry
 * entry. Name, category, kind, level and papers come from the catalog by id, so nothing is typed
 * twice. The objective's function is the entry's `fn` itself (one callable): its first line is
 * `entry.check(args)`, the one validator, which checks the call (every option, the positional
 * tensors' shapes and dtypes) before any kernel, then the tensors' value domains (one device
 * reduction and one scalar read per checked argument), and returns the options resolved.
 */
import { ArgumentError, Tensor } from '@graft/core';
import { type ArgSpec, bindArgs } from './args.js';
import type { CatalogEntry, Kind, Level } from './catalog.js';
import { checkOptionShapes, defaultsOf, type OptionSchema, type OptionsOf, resolveOptions, type Resolved } from './options.js';

/** What reduction: 'none' returns: one value per element, per sample (leading N), or one for the batch; normalizers return their input's shape. */
export type OutputKind = 'elementwise' | 'per-sample' | 'batch' | 'same-as-input';

/** An objective's parameter list: its tensors, then one optional options object (`...args: Call<[input: Tensor, target: Tensor], FocalOptions>`). */
export type Call<T extends unknown[], O> = [...T, opts?: O];

type AnyFn = (...args: any[]) => Tensor;

export interface LossSpec<F extends AnyFn, S extends OptionSchema> {
  id: string;
  fn: F;
  args: readonly ArgSpec[];
  /** Every option, declared: the one source of defaults, types, ranges and docs. */
  options: S;
  /** Other ids that reach this entry (a catalog id implemented by a PyTorch loss, a common short name). */
  aliases?: readonly string[];
  output: OutputKind;
  /** The interpretation chosen for a level B or C entry. */
  reading?: string;
  /** Why the entry is not differentiable (a metric, a hard transform); absent = differentiable. */
  nonDifferentiable?: string;
  /**
   * Why the entry's gradient is deliberately not the derivative of its value (a quantity computed from
   * an input is held constant inside, as the paper's stop-gradient does): the bench then skips the
   * finite-difference gradcheck, and the entry's fixtures check its gradient against the reference.
   */
  surrogateGradient?: string;
  /** Why the entry is not finite at logits of ±1e4 / probabilities of 0 and 1; absent = it must be. */
  notFiniteAtExtremes?: string;
  /** Why the entry is not defined for a single class (C = 1); absent = the bench runs it at C = 1. */
  needsTwoClasses?: string;
  /** Why the entry does not hold in float32 at the bench's inputs; absent = the bench runs it in float32. */
  float64Only?: string;
  /** Per option, why the entry is not finite at an edge of that option's declared range; absent = the bench runs every edge. */
  notAtOptionEdges?: { readonly [K in keyof S]?: string };
  /** The dim of the first argument that indexes samples, for output 'per-sample' (default 0; CTC's [T, N, C] is 1). */
  batchDim?: number;
  /** Why 'mean' is not the mean of 'none' (CTC divides by target lengths first); absent = it must be. */
  meanIsNotMeanOfNone?: string;
  /** Draws random numbers (Gumbel noise, ...): tests seed it and skip comparisons across calls. */
  stochastic?: boolean;
  /** Entries outside the catalog (PyTorch's own losses) give their metadata here. */
  meta?: { name: string; category: string; kind?: Kind; level?: Level; papers?: string[] };
}

export interface LossEntry<F extends AnyFn = AnyFn, S extends OptionSchema = OptionSchema> extends LossSpec<F, S> {
  name: string;
  category: string;
  kind: Kind;
  level: Level;
  papers: readonly string[];
  /** Whether the id is one of the catalog's. */
  inCatalog: boolean;
  /** Every option at its declared default (derived from `options`). */
  defaults: Resolved<S>;
  /**
   * The validator: checks a call's arguments (tensors in order, then at most one options object) and
   * returns the tensors (an optional one left out reads as undefined) followed by the resolved options.
   */
  check<T extends unknown[]>(args: readonly [...T, unknown?]): [...T, Resolved<S>];
}

const isOptions = (v: unknown): boolean => typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v);

/** The user-facing options type of an entry. */
export type EntryOptions<E> = E extends LossEntry<any, infer S> ? OptionsOf<S> : never;

/**
 * The catalog lookup, installed by the registry (registry.ts) when it loads: an objective imported on
 * its own (`import { focalLoss } from '@graft/losses'`) then bundles without the catalog's metadata,
 * and its entry's name, category, kind, level and papers are read from the catalog on first access.
 */
let lookup: ((id: string) => CatalogEntry | undefined) | undefined;
export function useCatalog(find: (id: string) => CatalogEntry | undefined): void {
  lookup = find;
}

export function defineLoss<F extends AnyFn, S extends OptionSchema>(spec: LossSpec<F, S>): LossEntry<F, S> {
  let resolved: { cat: CatalogEntry | undefined; meta: NonNullable<LossSpec<F, S>['meta']> } | undefined;
  const metadata = () => {
    if (resolved) return resolved;
    if (!lookup) throw new Error(`defineLoss: the metadata of '${spec.id}' comes from the catalog, which loads with the registry (import { registry } from '@graft/losses')`);
    const cat = lookup(spec.id);
    const meta = cat ?? spec.meta;
    if (!meta) throw new Error(`defineLoss: '${spec.id}' is not a catalog id and gives no meta`);
    return (resolved = { cat, meta });
  };
  const loss = spec.fn.name || spec.id;
  const check = (args: readonly unknown[]) => {
    // Tensors come before the one options object; optional tensors left out before it read as undefined, so
    // fn(a, b, { alpha }) reads as fn(a, b, undefined, { alpha }) when it takes a third tensor.
    let end = args.length;
    while (end > 0 && args[end - 1] === undefined) end--;
    const optionsAt = args.slice(0, end).findIndex(isOptions);
    if (optionsAt >= 0 && optionsAt < end - 1) throw new ArgumentError(loss, `unexpected argument after the options object (position ${optionsAt + 1})`);
    const positional = optionsAt < 0 ? args.slice(0, end) : args.slice(0, optionsAt);
    if (positional.length > spec.args.length) {
      throw new ArgumentError(loss, `takes ${spec.args.length} tensor argument${spec.args.length === 1 ? '' : 's'} (${spec.args.map((a) => a.name).join(', ')}) then an options object, got ${positional.length} positional arguments`);
    }
    const tensors = spec.args.map((_, i) => positional[i] as Tensor | null | undefined);
    const like = tensors.find((t): t is Tensor => t instanceof Tensor);
    const options = resolveOptions(loss, spec.options, optionsAt < 0 ? undefined : args[optionsAt], like);
    const { sizes, checkDomains } = bindArgs(loss, spec.args, tensors, (options as { ignoreIndex?: number }).ignoreIndex);
    checkOptionShapes(loss, spec.options, options, sizes);
    // Last, once every host-side check has passed: the value domains, each one device reduction read back as one scalar.
    checkDomains();
    return [...tensors, options];
  };
  return {
    ...spec,
    defaults: defaultsOf(spec.options),
    check: check as LossEntry<F, S>['check'],
    get name() { return metadata().meta.name; },
    get category() { return metadata().meta.category; },
    get kind() { return metadata().meta.kind ?? 'loss'; },
    get level() { return metadata().meta.level ?? 'A'; },
    get papers() { return metadata().meta.papers ?? []; },
    get inCatalog() { return metadata().cat !== undefined; },
  };
}
