/**
 * Which tensors a Module owns. PyTorch tells parameters and buffers apart by type (nn.Parameter,
 * register_buffer); graft marks the Tensor objects instead, so a field holding a marked tensor is
 * found wherever it sits: a field, an array, a plain object, a ModuleList or ModuleDict.
 */
import type { Tensor } from '../tensor.js';

const parameters = new WeakSet<Tensor>();
const buffers = new WeakMap<Tensor, { persistent: boolean }>();

/** A tensor that a Module owns and an optimizer updates (PyTorch's nn.Parameter). */
export class Parameter {
  private constructor() {}
  /** Marks `t` as a parameter, turns requiresGrad on (off with `requiresGrad: false`, a frozen parameter) and returns it. */
  static of(t: Tensor, requiresGrad = true): Tensor {
    t.requiresGrad = requiresGrad;
    parameters.add(t);
    return t;
  }
}

/** A tensor that is module state but not trained, such as BatchNorm's running mean (PyTorch's register_buffer). */
export class Buffer {
  private constructor() {}
  /**
   * Marks `t` as a buffer and returns it. A persistent buffer (the default) is part of stateDict();
   * a non-persistent one only moves with `to()`.
   */
  static of(t: Tensor, { persistent = true }: { persistent?: boolean } = {}): Tensor {
    buffers.set(t, { persistent });
    return t;
  }
}

/**
 * Whether `t` is a parameter: marked with Parameter.of, or (as before marks existed) a leaf that
 * requires grad and is not a buffer.
 */
export const isParameter = (t: Tensor): boolean => parameters.has(t) || (!buffers.has(t) && t.requiresGrad && t.gradFn === null);
/** Whether `t` was marked with Buffer.of. */
export const isBuffer = (t: Tensor): boolean => buffers.has(t) && !parameters.has(t);
/** Whether `t` is a buffer that stateDict() saves. */
export const isPersistentBuffer = (t: Tensor): boolean => isBuffer(t) && buffers.get(t)!.persistent;
