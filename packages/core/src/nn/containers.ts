/** Containers: Sequential, ModuleList and ModuleDict, whose children are named by index or key (PyTorch's names). */
import { ArgumentError, IndexError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type AnyModule, Module, isModule } from './module.js';

function expectModules(op: string, modules: readonly unknown[]): void {
  modules.forEach((m, i) => {
    if (!isModule(m)) throw new ArgumentError(op, `entry ${i} is not a Module (got ${typeof m})`);
  });
}

/** Layers applied in order; children are named `0`, `1`, ... (so its state dict keys match PyTorch's). */
export class Sequential extends Module<(x: Tensor) => Tensor> {
  private readonly items: AnyModule[];
  constructor(...layers: AnyModule[]) {
    super();
    expectModules('Sequential', layers);
    this.items = layers;
  }
  /** The layers, in order. */
  get layers(): readonly AnyModule[] { return this.items; }
  /** Number of modules. */
  override get length(): number { return this.items.length; }
  /** The layer at `index` (negative counts from the end). */
  at(index: number): AnyModule { return atIndex('Sequential', this.items, index); }
  /** Appends a layer; returns this. */
  append(layer: AnyModule): this { expectModules('Sequential.append', [layer]); this.items.push(layer); return this; }
  override memberEntries(): [string, unknown][] { return this.items.map((m, i) => [String(i), m]); }
  /** Each layer's output is the next one's input. */
  forward(x: Tensor): Tensor { return this.items.reduce((h, layer) => layer(h), x); }
  /** The layers, in order. */
  [Symbol.iterator](): Iterator<AnyModule> { return this.items[Symbol.iterator](); }
}

/** A list of modules whose parameters the parent finds (PyTorch's nn.ModuleList); it has no forward of its own. */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<() => never> {
  private readonly items: M[];
  constructor(modules: readonly M[] = []) {
    super();
    expectModules('ModuleList', modules);
    this.items = [...modules];
  }
  /** Number of modules. */
  override get length(): number { return this.items.length; }
  /** The module at `index` (negative counts from the end). */
  at(index: number): M { return atIndex('ModuleList', this.items, index); }
  /** Appends a module; returns this. */
  append(module: M): this { expectModules('ModuleList.append', [module]); this.items.push(module); return this; }
  override memberEntries(): [string, unknown][] { return this.items.map((m, i) => [String(i), m]); }
  forward(): never { throw new ArgumentError('ModuleList', 'a ModuleList has no forward; iterate over it in the parent module'); }
  /** The modules, in order. */
  [Symbol.iterator](): Iterator<M> { return this.items[Symbol.iterator](); }
}

/** Modules by name, in insertion order (PyTorch's nn.ModuleDict); it has no forward of its own. */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<() => never> {
  private readonly items = new Map<string, M>();
  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    for (const [k, m] of Symbol.iterator in modules ? modules as Iterable<[string, M]> : Object.entries(modules)) this.set(k, m);
  }
  /** Number of modules. */
  get size(): number { return this.items.size; }
  /** The module under `key`; throws on an unknown key. */
  get(key: string): M {
    const m = this.items.get(key);
    if (m === undefined) throw new ArgumentError('ModuleDict', `no module named '${key}' (have: ${[...this.items.keys()].join(', ')})`);
    return m;
  }
  /** Whether a module is stored under `key`. */
  has(key: string): boolean { return this.items.has(key); }
  /** Adds or replaces the module under `key`; returns this. */
  set(key: string, module: M): this {
    if (key === '' || key.includes('.')) throw new ArgumentError('ModuleDict', `module names must be non-empty and contain no '.', got '${key}'`);
    expectModules('ModuleDict', [module]);
    this.items.set(key, module);
    return this;
  }
  /** The names, in insertion order. */
  keys(): string[] { return [...this.items.keys()]; }
  /** The modules, in insertion order. */
  values(): M[] { return [...this.items.values()]; }
  /** [name, module] pairs, in insertion order. */
  entries(): [string, M][] { return [...this.items.entries()]; }
  override memberEntries(): [string, unknown][] { return this.entries(); }
  forward(): never { throw new ArgumentError('ModuleDict', 'a ModuleDict has no forward; look modules up in the parent module'); }
}

function atIndex<T>(op: string, items: readonly T[], index: number): T {
  const i = index < 0 ? index + items.length : index;
  if (!Number.isInteger(i) || i < 0 || i >= items.length) throw new IndexError(op, `index ${index} is out of range for ${items.length} modules`);
  return items[i];
}
