/**
 * The optimizer base: parameter groups with per-group options, lazily created per-parameter
 * state, zeroGrad, JSON state dicts and post-step hooks. PyTorch's torch.optim.Optimizer, in
 * Tensor ops only: an update is a handful of Tensor methods inside noGrad followed by
 * `p.assign(...)`, so it runs on whatever backend the parameters live on.
 *
 * Memory (core's memory.ts): a step runs its updates inside its own `tidy`, so the temporaries of
 * an update are freed when it ends, with or without a tidy around the training step. Per-parameter
 * state outlives that tidy: {@link stateFor} keeps what `initState` creates, and an update that
 * computes a new state tensor stores it with {@link replaceState}, which keeps the new one and
 * disposes the old one.
 */
import { ArgumentError, GraftError, checkNames, ShapeError, Tensor, dispose, enableGrad, keep, noGrad, tensor, tidy, type NestedArray } from '@graft/core';
import { checkNonNegative } from './checks.js';
import { checkState } from './state-checks.js';

/** Options every parameter group has. */
export interface GroupOptions {
  /** Learning rate. Mutable: schedulers and training loops may set `group.lr` between steps. */
  lr: number;
}

/** A parameter group as the caller writes it: its parameters plus the options that differ from the defaults. */
export type ParamGroupSpec<O> = { params: Tensor | readonly Tensor[] } & Partial<O> & { [key: string]: unknown };

/** What an optimizer takes: a list of parameters, or a list of parameter groups. */
export type Params<O> = readonly Tensor[] | readonly ParamGroupSpec<O>[];

/**
 * A parameter group as the optimizer holds it: every option resolved (the group's own value, else
 * the optimizer's default). Options are plain mutable fields, so a schedule can drive `lr`,
 * `momentum` or `betas` per group; extra keys (a wrapper's `rho`, a scheduler's `initialLr`) ride along.
 */
export type ParamGroup<O = GroupOptions> = O & { params: Tensor[]; [key: string]: unknown };

/** Per-parameter state: tensors (moment buffers), numbers (step counts) and null (not yet created). */
export type ParamState = Record<string, Tensor | number | null>;

/** A JSON value: what state dicts are made of. */
export type JsonValue = number | boolean | string | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A plain, JSON-serialisable snapshot (PyTorch's layout): `state[i]` is the state of the i-th
 * parameter (counting through the groups in order; tensors as nested arrays), `paramGroups[j]`
 * the options of group j with `params` listing its parameter indices.
 */
export interface StateDict {
  state: Record<string, Record<string, JsonValue>>;
  paramGroups: ({ params: number[] } & Record<string, JsonValue>)[];
}

/**
 * Stores `next` as optimizer state in place of `prev` (null or undefined: none yet) and returns it:
 * `next` is kept, so it outlives a tidy around step() (see core's memory.ts), and `prev` is
 * disposed, so a GPU backend frees its storage now instead of at the next garbage collection
 * (cheaper than `prev.assign(next)`, which copies). `next` must be the optimizer's own tensor: a
 * clone of a gradient, never the gradient itself (that belongs to its leaf, which frees it).
 */
export function replaceState(prev: Tensor | null | undefined, next: Tensor): Tensor {
  keep(next);
  if (prev && prev !== next) prev.dispose();
  return next;
}

/** What schedulers, clipping and wrappers need from an optimizer. */
export interface OptimizerLike {
  readonly paramGroups: ParamGroup[];
  zeroGrad(): void;
  stateDict(): StateDict;
  loadStateDict(stateDict: StateDict): void;
}

/**
 * The options a wrapper (SAM, AWP, ...) adds to its base optimizer's groups, and the wrapper's name
 * for errors, while the wrapper builds its base (see {@link withWrapperOptions}).
 */
const wrapperOptions: { owner: string; keys: readonly string[] }[] = [];

/** Keys the schedulers of schedulers.ts store in the groups they drive (saved in state dicts with them). */
export const scheduleKeys: readonly string[] = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];

/**
 * Builds a base optimizer inside a wrapper: `keys` (the wrapper's own options) are accepted in the
 * base's parameter groups, and unknown names are reported as the wrapper's (`owner`).
 */
export function withWrapperOptions<T>(owner: string, keys: readonly string[], build: () => T): T {
  wrapperOptions.push({ owner, keys });
  try {
    return build();
  } finally {
    wrapperOptions.pop();
  }
}

/** A post-step hook: runs after every parameter update, outside the graph. */
export type StepHook = () => void;

/** A projection applied to a parameter after each step (see constraints.ts): returns the new value. */
export type Projection = (p: Tensor) => Tensor;

/**
 * Groups, state and serialisation: everything an optimizer has except its `step`. Optimizers that
 * read `.grad` extend {@link Optimizer}; those that take one gradient per loss (MultiAdam, DOT)
 * extend this directly and define their own `step`.
 */
export abstract class OptimizerBase<O extends GroupOptions = GroupOptions, S extends ParamState = ParamState> implements OptimizerLike {
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on a parameter's first update. */
  protected readonly state = new Map<Tensor, S>();
  /** State keys made per use rather than by initState (MultiAdam's m0, v1, ...): parameter-shaped tensors. */
  protected dynamicStateKeys: RegExp | null = null;
  /** State keys that hold plain numbers (everything else non-null is a tensor). */
  protected scalarStateKeys: ReadonlySet<string> = new Set(['step']);
  private readonly hooks: StepHook[] = [];
  /** Every option name a group may hold: the declared defaults' keys plus a wrapper's own. */
  protected readonly knownOptions: readonly string[];
  /** The name unknown options are reported under (the wrapper's, when built by one). */
  private readonly optionsOwner: string;
  readonly defaults: O;

  /**
   * @param declared every option at its default: the declaration of the optimizer's option names
   * @param given the caller's options (unknown names raise an ArgumentError with the closest declared ones)
   */
  constructor(params: Params<O>, declared: O, given: Partial<O> = {}) {
    const wrapper = wrapperOptions[wrapperOptions.length - 1];
    this.knownOptions = [...Object.keys(declared), ...(wrapper?.keys ?? [])];
    this.optionsOwner = wrapper?.owner ?? this.label;
    if (typeof given !== 'object' || given === null || Array.isArray(given) || given instanceof Tensor) {
      throw new ArgumentError(this.optionsOwner, `expected an options object, got ${String(given)}`);
    }
    checkNames(this.optionsOwner, this.knownOptions, Object.keys(given));
    this.defaults = { ...declared, ...copyJson(given) };
    if (!Array.isArray(params)) {
      throw new ArgumentError(this.label, `expected an array of parameters or of parameter groups, got ${params instanceof Tensor ? 'a single Tensor (wrap it in [ ])' : typeof params}`);
    }
    if (params.length === 0) throw new ArgumentError(this.label, 'got an empty parameter list');
    const specs: ParamGroupSpec<O>[] = params[0] instanceof Tensor ? [{ params: params as readonly Tensor[] } as ParamGroupSpec<O>] : [...(params as readonly ParamGroupSpec<O>[])];
    for (const spec of specs) this.addParamGroup(spec);
  }

  /** The optimizer's name in error messages. */
  get label(): string { return this.constructor.name; }

  /** Adds a group: checks its parameters (tensors, leaves, not already present), fills in defaults, validates its options. */
  addParamGroup(spec: ParamGroupSpec<O>): void {
    const index = this.paramGroups.length;
    if (typeof spec !== 'object' || spec === null || !('params' in spec)) {
      throw new ArgumentError(this.label, `parameter group ${index} must be an object with a 'params' field, got ${(spec as unknown) instanceof Tensor ? 'a Tensor mixed with groups' : String(spec)}`);
    }
    const list = spec.params instanceof Tensor ? [spec.params] : spec.params;
    if (!Array.isArray(list)) throw new ArgumentError(this.label, `parameter group ${index}: params must be a Tensor or an array of Tensors`);
    const seen = new Set(this.params());
    list.forEach((p: unknown, i: number) => {
      if (!(p instanceof Tensor)) throw new ArgumentError(this.label, `parameter group ${index}: params[${i}] is not a Tensor (got ${typeof p})`);
      if (!p.isLeaf) throw new ArgumentError(this.label, `parameter group ${index}: params[${i}] is not a leaf tensor (it was computed by ${p.gradFn?.opName}); optimize the leaves it came from, or detach() it`);
      if (seen.has(p)) throw new ArgumentError(this.label, `parameter group ${index}: params[${i}] appears more than once among the optimizer's parameters`);
      seen.add(p);
    });
    const { params: _, ...options } = spec;
    checkNames(this.optionsOwner, this.knownOptions, Object.keys(options), `option in parameter group ${index}`);
    const group = { ...copyJson(this.defaults), ...copyJson(options), params: [...list] } as ParamGroup<O>;
    this.validateGroup(group, index);
    this.paramGroups.push(group);
  }

  /** Checks one group's options (subclasses add their own and call super). lr ≥ 0, as PyTorch (a schedule may end at 0). */
  protected validateGroup(group: ParamGroup<O>, _index: number): void {
    checkNonNegative(this.label, 'lr', group.lr);
  }

  /**
   * Re-checks every group's options: values edited after construction (`group.lr = NaN`, betas set
   * to [1, 1], a scheduler's −1) raise here, at the step that would use them, naming the group.
   */
  checkGroups(where = 'step'): void {
    this.paramGroups.forEach((group, i) => {
      try {
        this.validateGroup(group, i);
      } catch (error) {
        if (!(error instanceof ArgumentError)) throw error;
        throw new ArgumentError(`${this.label}.${where}`, `parameter group ${i}: ${error.message.replace(`${this.label}: `, '')} (changed after construction?)`);
      }
    });
  }

  /** Every parameter, group by group. */
  params(): Tensor[] { return this.paramGroups.flatMap((g) => g.params); }

  /** Sets every parameter's `.grad` to null (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void { for (const p of this.params()) p.grad = null; }

  /** The state of `p`, created by {@link initState} on first use (its tensors kept: they outlive any tidy). */
  protected stateFor(p: Tensor, group: ParamGroup<O>): S {
    let s = this.state.get(p);
    if (!s) {
      s = keep(this.initState(p, group));
      this.state.set(p, s);
    }
    return s;
  }

  /** A parameter's state before its first update (zero moments, step 0, ...). */
  protected abstract initState(p: Tensor, group: ParamGroup<O>): S;

  // ---- hooks ------------------------------------------------------------------------------------

  /** Runs `hook` after every step (PyTorch's register_step_post_hook); returns a function that removes it. */
  registerStepPostHook(hook: StepHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /**
   * Keeps `params` in a constraint set: after every step, p ← project(p) (inside noGrad). Use the
   * projections of constraints.ts (maxNorm, fixedSign, nonNegative) or any Tensor → Tensor function.
   */
  constrain(params: Tensor | readonly Tensor[], project: Projection): () => void {
    const list = params instanceof Tensor ? [params] : [...params];
    const mine = new Set(this.params());
    list.forEach((p, i) => {
      if (!mine.has(p)) throw new ArgumentError(this.label, `constrain: params[${i}] is not one of this optimizer's parameters`);
    });
    return this.registerStepPostHook(() => noGrad(() => tidy(() => { for (const p of list) p.assign(project(p)); })));
  }

  protected runStepHooks(): void { for (const hook of [...this.hooks]) hook(); }

  // ---- state dicts --------------------------------------------------------------------------------

  /** A JSON-serialisable snapshot of the options and the state (see {@link StateDict}). */
  stateDict(): StateDict {
    const params = this.params();
    const index = new Map(params.map((p, i) => [p, i]));
    const state: StateDict['state'] = {};
    for (const [p, s] of this.state) {
      const entry: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(s)) entry[k] = v instanceof Tensor ? (v.toArray() as JsonValue) : v;
      state[String(index.get(p))] = entry;
    }
    const paramGroups = this.paramGroups.map((g) => {
      const { params: ps, ...options } = g;
      return { ...(copyJson(options) as Record<string, JsonValue>), params: ps.map((p) => index.get(p)!) };
    });
    return { state, paramGroups };
  }

  /**
   * Restores options and state saved by {@link stateDict} (from this optimizer or another one built
   * the same way): tensors come back with each parameter's dtype and backend (kept, like all state);
   * the state tensors they replace are disposed.
   */
  loadStateDict(sd: StateDict): void {
    const what = `loadStateDict`;
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object') throw new ArgumentError(this.label, `${what}: expected {state, paramGroups}`);
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ArgumentError(this.label, `${what}: the state dict has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    sd.paramGroups.forEach((saved, i) => {
      const n = this.paramGroups[i].params.length;
      if (!Array.isArray(saved.params) || saved.params.length !== n) {
        throw new ArgumentError(this.label, `${what}: group ${i} has ${saved.params?.length} parameters in the state dict, ${n} here`);
      }
    });
    const params = this.params();
    const owner = `${this.label}.${what}`;
    // Everything is checked before anything changes: option names and values on copies of the groups, then each
    // parameter's state against a fresh initState (its keys, the shape of every tensor, numbers where numbers go).
    const groups = sd.paramGroups.map((saved, i) => {
      const { params: _, ...options } = saved;
      checkNames(owner, [...this.knownOptions, ...scheduleKeys], Object.keys(options), `option in parameter group ${i} (a state dict from another optimizer?)`);
      const candidate = { ...this.paramGroups[i], ...copyJson(options) } as ParamGroup<O>;
      try {
        this.validateGroup(candidate, i);
      } catch (error) {
        if (error instanceof GraftError) throw new ArgumentError(owner, `parameter group ${i}: ${error.message.replace(`${this.label}: `, '')}`);
        throw error;
      }
      return options;
    });
    const groupOf = new Map(this.paramGroups.flatMap((g) => g.params.map((p) => [p, g] as const)));
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      if (!p || !Number.isInteger(Number(key))) throw new ArgumentError(owner, `state for parameter '${key}', but there are ${params.length} parameters (0 to ${params.length - 1})`);
      const fresh = tidy(() => noGrad(() => Object.entries(this.initState(p, groupOf.get(p)!)).map(([k, v]) => [k, v instanceof Tensor ? v.shape : v] as const)));
      checkState(owner, Number(key), p.shape, entry, fresh, this.scalarStateKeys, this.dynamicStateKeys);
    }
    groups.forEach((options, i) => Object.assign(this.paramGroups[i], copyJson(options)));
    const previous = [...this.state.values()];
    this.state.clear();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      const s: ParamState = {};
      for (const [k, v] of Object.entries(entry)) {
        s[k] = v === null ? null : typeof v === 'number' && this.scalarStateKeys.has(k) ? v : keep(tensor(v as NestedArray, { dtype: p.dtype, backend: p.backendName }));
      }
      this.state.set(p, s as S);
    }
    dispose(previous); // the replaced state tensors (on a GPU backend, their storage)
  }
}

/** Parameter updates that read `.grad`: the loss of the closure, then one `updateParam` per parameter with a gradient. */
export abstract class Optimizer<O extends GroupOptions = GroupOptions, S extends ParamState = ParamState> extends OptimizerBase<O, S> {
  /**
   * One update of every parameter whose `.grad` is not null (others are skipped, their state
   * untouched). With a closure, calls it first with gradients on (it should zero the grads,
   * compute the loss, call backward and return the loss) and returns what it returned.
   */
  step<T = unknown>(closure?: () => T): T | undefined {
    this.checkGroups();
    const loss = closure ? enableGrad(closure) : undefined;
    this.checkGradShapes();
    tidy(() => noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) if (p.grad) this.updateParam(p, p.grad, this.stateFor(p, group), group);
      }
    }));
    this.runStepHooks();
    return loss;
  }

  /** A `.grad` must have its parameter's shape: a broadcastable one would silently update with the wrong values. */
  protected checkGradShapes(): void {
    this.params().forEach((p, i) => {
      if (p.grad && (p.grad.ndim !== p.ndim || p.grad.shape.some((n, d) => n !== p.shape[d]))) {
        throw new ShapeError(`${this.label}.step`, `parameter ${i} has shape [${p.shape.join(', ')}] but its .grad has shape [${p.grad.shape.join(', ')}]`);
      }
    });
  }

  /**
   * Updates one parameter in place (runs inside noGrad and a tidy: store new state tensors with
   * {@link replaceState}, or they are freed when the step ends).
   */
  protected abstract updateParam(p: Tensor, grad: Tensor, state: S, group: ParamGroup<O>): void;
}

/** A deep copy of plain JSON-like data (arrays and objects copied, tensors and functions kept by reference). */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (value && typeof value === 'object' && !(value instanceof Tensor) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, copyJson(v)])) as T;
  }
  return value;
}
