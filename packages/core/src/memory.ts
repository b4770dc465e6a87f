/**
 * Storage lifetime for backends whose memory the garbage collector cannot see (GPU textures):
 * `t.dispose()`, `tidy(fn)` and `keep(t)`. On the CPU these cost a counter and free nothing
 * (`Backend.dispose` is a no-op there); GPU backends also register a FinalizationRegistry as a
 * safety net for tensors nobody disposed.
 *
 * The rules (TensorFlow.js's, adapted to graft's views and in-place updates):
 * - Every Tensor object (views included) holds one reference to its storage; a storage is
 *   handed to `backend.dispose` when its last live holder is disposed.
 * - `tidy(fn)` disposes every tensor created while fn ran, except those reachable from what fn
 *   returns (a tensor, or arrays / plain objects / Maps of them; a returned tensor keeps its
 *   autograd graph and its `.grad`), those passed to `keep`, and gradients that `backward()`
 *   stored on a leaf created outside the tidy (they move out with the leaf). Nested tidies hand
 *   what they return to the enclosing one.
 * - `assign` (and so `add_`, `sub_`, `zero_`, ...) moves the tensor to its new storage: the new
 *   storage survives the tidy because the tensor holds it; the old one is freed once nothing
 *   else holds it.
 * - A gradient moved out of a tidy belongs to its leaf: replacing it (`zeroGrad()`, the next
 *   accumulation) disposes it. Clone it to keep it.
 * - Anything else created inside a tidy that must outlive it (an optimizer's state, a cache)
 *   must be returned or passed to `keep`.
 *
 * Live storage is counted for backends that report a buffer's size (`storageBytes(buffer)`,
 * optional on a backend: GPU backends, whose memory the GC cannot see): created storage adds its
 * bytes, freed storage (disposed, or its last holder collected) subtracts them. When the count
 * passes a threshold (`setMemoryWarning({ bytes })`, default 512 MiB) core warns once, naming
 * `tidy`: a training loop without it grows by every intermediate of every step.
 */
import { ArgumentError } from './errors.js';
import type { Storage, Tensor } from './tensor.js';

interface Scope { readonly depth: number; readonly tensors: Tensor[] }

const scopes: Scope[] = [];
/** The scope that will dispose a tensor (null: none; it lives until dispose() or the GC). */
const owner = new WeakMap<Tensor, Scope | null>();
/** Live (not disposed) Tensor objects per storage. */
const holders = new WeakMap<Storage, number>();
const disposedTensors = new WeakSet<Tensor>();
/** Gradients that a tidy moved out to their leaf: leaf by gradient. */
const ownedGrads = new WeakMap<Tensor, Tensor>();

const currentScope = (): Scope | null => scopes[scopes.length - 1] ?? null;

/** Called by the Tensor constructor: one more holder of its storage, owned by the current tidy. */
export function onTensorCreated(t: Tensor): void {
  hold(t.storage);
  const s = currentScope();
  owner.set(t, s);
  s?.tensors.push(t);
}

/** One more live holder of `storage`; the first one (a new storage) is counted. */
function hold(storage: Storage): void {
  const n = holders.get(storage) ?? 0;
  holders.set(storage, n + 1);
  if (n === 0) countStorage(storage);
}

function release(storage: Storage): void {
  const n = (holders.get(storage) ?? 1) - 1;
  holders.set(storage, n);
  if (n <= 0) {
    uncountStorage(storage);
    storage.backend.dispose(storage.buffer);
  }
}

// ---- live storage accounting and the warning ---------------------------------------------------

/** A backend that reports its buffers' sizes (optional on `Backend`): its storage is counted. */
interface SizedBackend { storageBytes?(buffer: unknown): number }

export interface MemoryWarningOptions {
  /** Warn when live counted storage passes this many bytes (default 512 MiB; Infinity: never). */
  bytes?: number;
  /** Where the warning goes (default console.warn). */
  warn?: (message: string) => void;
}

const DEFAULT_WARNING_BYTES = 512 * 2 ** 20;
let warningBytes = DEFAULT_WARNING_BYTES;
let warnSink: (message: string) => void = (m) => console.warn(m);
let warned = false;
let liveBytes = 0;
/** Bytes counted per live storage. */
const counted = new WeakMap<Storage, number>();
/** Storage whose last holder the GC collected without a dispose: its bytes leave the count then. */
const collected = new FinalizationRegistry<number>((bytes) => { liveBytes -= bytes; });

function countStorage(storage: Storage): void {
  const bytes = (storage.backend as SizedBackend).storageBytes?.(storage.buffer);
  if (bytes === undefined || !(bytes > 0)) return;
  counted.set(storage, bytes);
  collected.register(storage, bytes, storage);
  liveBytes += bytes;
  if (!warned && liveBytes > warningBytes) {
    warned = true;
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    warnSink(
      `graft: ${mb(liveBytes)} of ${storage.backendName} storage is live, past the warning threshold of ${mb(warningBytes)}. `
      + 'Tensors created outside tidy() hold their storage until the garbage collector runs, and it cannot see GPU memory: '
      + 'wrap each training step in tidy(() => { ... }) (or dispose() what a step creates). '
      + 'setMemoryWarning({ bytes }) changes the threshold; this warning is shown once.',
    );
  }
}

function uncountStorage(storage: Storage): void {
  const bytes = counted.get(storage);
  if (bytes === undefined) return;
  counted.delete(storage);
  collected.unregister(storage);
  liveBytes -= bytes;
}

/**
 * Sets the live-storage warning: a threshold in bytes (default 512 MiB; Infinity turns it off)
 * and optionally where it goes. Re-arms the warning, so it can fire once more.
 */
export function setMemoryWarning(options: MemoryWarningOptions = {}): void {
  const { bytes = DEFAULT_WARNING_BYTES, warn } = options;
  if (typeof bytes !== 'number' || Number.isNaN(bytes) || bytes < 0) {
    throw new ArgumentError('setMemoryWarning', `option 'bytes': expected a number in [0, inf], got ${String(bytes)}`);
  }
  warningBytes = bytes;
  if (warn) warnSink = warn;
  warned = false;
}

/** Bytes of live storage on backends that report buffer sizes (GPU backends). */
export const liveStorageBytes = (): number => liveBytes;

/** Called by `assign`: the tensor now holds `next` instead of `prev`. */
export function onStorageReplaced(t: Tensor, prev: Storage, next: Storage): void {
  if (prev === next || disposedTensors.has(t)) return;
  hold(next);
  release(prev);
}

/** Called when `leaf.grad` changes: adopt the new gradient out of inner tidies; free an owned old one. */
export function onGradReplaced(leaf: Tensor, prev: Tensor | null, next: Tensor | null): void {
  if (prev && prev !== next && ownedGrads.get(prev) === leaf) {
    ownedGrads.delete(prev);
    disposeTensor(prev);
  }
  if (!next) return;
  const from = owner.get(next);
  const to = owner.get(leaf) ?? null;
  if (from && (to === null || from.depth > to.depth)) {
    owner.set(next, to);
    to?.tensors.push(next);
    ownedGrads.set(next, leaf);
  }
}

/** Frees the tensor's hold on its storage (the storage itself once no live tensor holds it). Idempotent. */
export function disposeTensor(t: Tensor): void {
  if (disposedTensors.has(t)) return;
  disposedTensors.add(t);
  owner.set(t, null);
  release(t.storage);
}

export const isDisposed = (t: Tensor): boolean => disposedTensors.has(t);

/** Exempts tensors from every enclosing tidy (they live until dispose() or the GC). Returns its argument. */
export function keep<T>(value: T): T {
  for (const t of reachable(value)) owner.set(t, null);
  return value;
}

/** Disposes every tensor reachable from `value` (a tensor, or arrays / plain objects / Maps of them). */
export function dispose(value: unknown): void {
  for (const t of reachable(value, false)) disposeTensor(t);
}

const isTensor = (v: unknown): v is Tensor => typeof v === 'object' && v !== null && owner.has(v as Tensor);

/** Tensors reachable from a value: through arrays, plain objects and Maps; with `graph`, also a tensor's grad and autograd graph. */
function reachable(value: unknown, graph = true): Set<Tensor> {
  const found = new Set<Tensor>();
  const seen = new Set<unknown>();
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (isTensor(v)) {
      found.add(v);
      if (graph) {
        if (v.grad) stack.push(v.grad);
        const fn = v.gradFn as unknown as { inputs?: readonly Tensor[]; saved?: readonly Tensor[] } | null;
        if (fn) stack.push(...(fn.inputs ?? []), ...(fn.saved ?? []));
      }
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof Map) stack.push(...v.values());
    else if (Object.getPrototypeOf(v) === Object.prototype) stack.push(...Object.values(v));
  }
  return found;
}

/**
 * Runs fn and then disposes every tensor created inside it that is not reachable from its
 * result (see the rules above). fn must be synchronous. Returns fn's result.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = { depth: scopes.length, tensors: [] };
  scopes.push(scope);
  let result: T | undefined;
  let ok = false;
  try {
    result = fn();
    ok = true;
  } finally {
    scopes.pop();
    if (ok && result instanceof Promise) {
      closeScope(scope, undefined);
      throw new ArgumentError('tidy', 'expected a synchronous function, got one that returned a Promise (tensors would be freed before it resolves)');
    }
    closeScope(scope, ok ? result : undefined);
  }
  return result as T;
}

function closeScope(scope: Scope, result: unknown): void {
  const survivors = reachable(result);
  const parent = currentScope();
  for (const t of scope.tensors) {
    if (owner.get(t) !== scope) continue; // kept, adopted, disposed or moved already
    if (survivors.has(t)) {
      owner.set(t, parent);
      parent?.tensors.push(t);
    } else {
      disposeTensor(t);
    }
  }
}

/** How many tidy scopes are open (for tests and diagnostics). */
export const tidyDepth = (): number => scopes.length;
