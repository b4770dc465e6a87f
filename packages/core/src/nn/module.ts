/**
 * nn.Module, PyTorch's: subclasses assign parameters (Parameter.of), buffers (Buffer.of) and
 * sub-modules to fields and implement `forward`. A module is callable — `model(x)` is
 * `model.forward(x)` — because the constructor returns a function object whose prototype is the
 * subclass's: fields, methods and `instanceof` work as on any object.
 */
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor.js';
import { membersOf, type HasMembers, type Member, type Members } from './members.js';
import { moveInPlace } from './move.js';
import { isPersistentBuffer } from './parameter.js';
import { loadInto, type LoadStateDictOptions, type LoadStateDictResult, type StateDict } from './state-dict.js';

/** The signature of a module's forward (and of calling the module). */
export type Forward = (...inputs: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Any module, whatever its forward takes and returns (what containers hold). */
export type AnyModule = Module<Forward>;

/** Calling a module runs its forward. */
export interface Module<F extends Forward = (...inputs: Tensor[]) => Tensor> {
  (...inputs: Parameters<F>): ReturnType<F>;
}

export abstract class Module<F extends Forward = (...inputs: Tensor[]) => Tensor> implements HasMembers {
  /** True in training mode (the default), false after eval(): Dropout and BatchNorm read it. */
  declare training: boolean;

  constructor() {
    // Base-class field initialisers would land on the discarded `this`, so the one field is set here.
    const self = ((...inputs: Parameters<F>) => self.forward(...inputs)) as unknown as this;
    Object.setPrototypeOf(self, new.target.prototype);
    // A function's own `name` and `length` would shadow fields of those names.
    delete (self as { name?: string }).name;
    delete (self as { length?: number }).length;
    self.training = true;
    return self;
  }

  /** The computation; subclasses implement it. Call the module itself (`model(x)`) rather than this. */
  abstract forward(...inputs: Parameters<F>): ReturnType<F>;

  /** Calls forward (the explicit form of `model(x)`). */
  call(...inputs: Parameters<F>): ReturnType<F> { return this.forward(...inputs); }

  /** [name, value] pairs that hold this module's members: its own fields (containers override). */
  memberEntries(): [string, unknown][] { return Object.entries(this).filter(([k]) => k !== 'training'); }

  /** This module's own parameters, buffers and children, in field order. */
  members(): Members<AnyModule> { return membersOf(this, isModule); }

  // ---- traversal ---------------------------------------------------------------------------
  /** Direct child modules with their names. */
  namedChildren(): [string, AnyModule][] { return this.members().children.map((c) => [c.name, c.value]); }
  children(): AnyModule[] { return this.namedChildren().map(([, m]) => m); }

  /** This module and every module below it, pre-order, each once (PyTorch's named_modules). */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const walk = (m: AnyModule, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [n, c] of m.namedChildren()) walk(c, name ? `${name}.${n}` : n);
    };
    walk(this, prefix);
    return out;
  }
  modules(): AnyModule[] { return this.namedModules().map(([, m]) => m); }

  /** Parameters of this module and its descendants, each tensor once: own ones first, then each child's, depth first. */
  namedParameters(prefix = ''): [string, Tensor][] { return this.namedTensors(prefix, (m) => m.parameters); }
  parameters(): Tensor[] { return this.namedParameters().map(([, p]) => p); }
  /** Buffers (running statistics, ...) of this module and its descendants, each tensor once. */
  namedBuffers(prefix = ''): [string, Tensor][] { return this.namedTensors(prefix, (m) => m.buffers); }
  buffers(): Tensor[] { return this.namedBuffers().map(([, b]) => b); }

  private namedTensors(prefix: string, pick: (m: Members<AnyModule>) => Member<Tensor>[]): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [name, m] of this.namedModules(prefix)) {
      for (const t of pick(m.members())) {
        if (seen.has(t.value)) continue;
        seen.add(t.value);
        out.push([name ? `${name}.${t.name}` : t.name, t.value]);
      }
    }
    return out;
  }

  /** Total number of parameter elements (trainable ones only with `trainableOnly`). */
  numParameters({ trainableOnly = false }: { trainableOnly?: boolean } = {}): number {
    return this.parameters().filter((p) => !trainableOnly || p.requiresGrad).reduce((n, p) => n + p.size, 0);
  }

  /** Runs `fn` on every module (children first, then this), as PyTorch's apply; returns this. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  // ---- modes and gradients -------------------------------------------------------------------
  /** Sets training mode (true) or evaluation mode (false) on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  /** Evaluation mode: Dropout passes inputs through, BatchNorm uses its running statistics. */
  eval(): this { return this.train(false); }

  /** Clears every parameter's gradient (PyTorch's zero_grad with set_to_none). */
  zeroGrad(): void { for (const p of this.parameters()) p.grad = null; }

  /** Turns requiresGrad on or off for every parameter (freezing a model or a part of it). */
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad = on;
    return this;
  }

  // ---- state ----------------------------------------------------------------------------------
  /**
   * Parameters and persistent buffers by dotted name, PyTorch's key order (each module's own
   * parameters, then its buffers, then its children's). The tensors are detached: they hold the
   * values of the moment, which later in-place updates (optimizer steps) do not change.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.stateEntries()) out[name] = t.detach();
    return out;
  }

  /** The live tensors behind stateDict(), by key (tied weights appear under each of their keys). */
  stateEntries(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const walk = (m: AnyModule, name: string, path: Set<AnyModule>): void => {
      if (path.has(m)) return;
      const own = m.members();
      const key = (n: string) => (name ? `${name}.${n}` : n);
      for (const p of own.parameters) out.push([key(p.name), p.value]);
      for (const b of own.buffers) if (isPersistentBuffer(b.value)) out.push([key(b.name), b.value]);
      const below = new Set(path).add(m);
      for (const c of own.children) walk(c.value, key(c.name), below);
    };
    walk(this, prefix, new Set());
    return out;
  }

  /**
   * Copies `stateDict`'s values into this module's parameters and buffers, in place (the Tensor
   * objects stay, so optimizers keep working). Values are cast to each tensor's dtype and moved to
   * its backend. Throws, before changing anything, on a shape mismatch and (when `strict`, the
   * default) on missing or unexpected keys; returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadInto(this.constructor.name, this.stateEntries(), stateDict, opts);
  }

  /**
   * Moves every parameter, buffer and gradient to backend `name`, in place: the same Tensor
   * objects now live there, so an optimizer built on `parameters()` keeps working. Returns this.
   */
  to(name: string): this {
    noGrad(() => {
      for (const t of new Set([...this.parameters(), ...this.buffers()])) moveInPlace(t, name);
    });
    return this;
  }

  // ---- printing -------------------------------------------------------------------------------
  /** The layer's settings for toString, e.g. `inFeatures=3, outFeatures=4, bias=true` (PyTorch's extra_repr). */
  extraRepr(): string { return ''; }

  /** A nested description, as PyTorch's print(model): `Sequential(\n  (0): Linear(...)\n)`. */
  toString(): string {
    const name = this.constructor.name;
    const children = this.namedChildren();
    if (children.length === 0) return `${name}(${this.extraRepr()})`;
    const lines = this.extraRepr() ? this.extraRepr().split('\n') : [];
    for (const [n, c] of children) lines.push(`(${n}): ${String(c).split('\n').join('\n  ')}`);
    return `${name}(\n  ${lines.join('\n  ')}\n)`;
  }

  /** Node's console.log / util.inspect print toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

/** Whether `v` is a Module. */
export const isModule = (v: unknown): v is AnyModule => v instanceof Module;
