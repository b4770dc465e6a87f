import type { Tensor } from '@graft/core';
import { type OptimizerBase, type OptimizerLike, type ParamGroup, type Params, type StateDict, withWrapperOptions } from './optimizer.js';

/** An optimizer class a wrapper builds its base from: `new Base(params, options)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OptimizerClass<B extends OptimizerBase<any, any>, O> = new (params: Params<any>, options?: O) => B;

/**
 * The part every optimizer wrapper shares (SAM and its family, AWP, RWP, PerpGrad, PCNGD,
 * ConFIG): it builds a base optimizer over the parameters and shares its parameter groups, so
 * a scheduler can drive either one, and a wrapper's own per-group options (`rho`, ...) sit in the
 * same groups and the same state dict.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export abstract class OptimizerWrapper<B extends OptimizerBase<any, any>> implements OptimizerLike {
  constructor(readonly base: B) {}

  get label(): string { return this.constructor.name; }
  get paramGroups(): ParamGroup[] { return this.base.paramGroups; }
  params(): Tensor[] { return this.base.params(); }
  zeroGrad(): void { this.base.zeroGrad(); }
  /** The base optimizer's state dict (the wrapper's options live in its groups). */
  stateDict(): StateDict { return this.base.stateDict(); }
  loadStateDict(sd: StateDict): void { this.base.loadStateDict(sd); }

  /** Sets `key` to `value` in every group that does not have it (per-group values from the specs win). */
  protected defaultOption(key: string, value: unknown): void {
    for (const g of this.paramGroups) if (g[key] === undefined) g[key] = value;
  }
}

/**
 * `new Base(params, options)` built for a wrapper named `owner`: the wrapper's own option names
 * (`keys`) are accepted in the parameter groups, and a misspelt option is reported as the wrapper's,
 * with the closest of the base's and the wrapper's names.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function buildBase<B extends OptimizerBase<any, any>, O>(owner: string, keys: readonly string[], Base: OptimizerClass<B, O>, params: Params<any>, options: unknown): B {
  return withWrapperOptions(owner, keys, () => new Base(params, options as O));
}
