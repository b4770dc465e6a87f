/** Loading a state dict into a module's tensors: every check first, then the in-place copies. */
import { noGrad } from '../autograd/grad-mode.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Tensors by dotted name (`0.weight`, `bn.running_mean`): what stateDict() returns and loadStateDict() takes. */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Throw on keys the module lacks or the dict lacks (default true); shape mismatches always throw. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  /** The module's keys that the dict did not have (left unchanged). */
  missingKeys: string[];
  /** The dict's keys that the module does not have (ignored). */
  unexpectedKeys: string[];
}

/**
 * Copies `source` into the module's live tensors `targets` (its stateEntries()). Every problem is
 * collected and reported in one error, as PyTorch's "Error(s) in loading state_dict for Linear".
 */
export function loadInto(moduleName: string, targets: [string, Tensor][], source: StateDict | Map<string, Tensor>, { strict = true }: LoadStateDictOptions = {}): LoadStateDictResult {
  const given = source instanceof Map ? source : new Map(Object.entries(source));
  const wanted = new Map(targets);
  const missingKeys = [...wanted.keys()].filter((k) => !given.has(k));
  const unexpectedKeys = [...given.keys()].filter((k) => !wanted.has(k));
  const problems: string[] = [];
  if (strict && unexpectedKeys.length) problems.push(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}.`);
  if (strict && missingKeys.length) problems.push(`Missing key(s) in state_dict: ${quoted(missingKeys)}.`);
  for (const [key, target] of targets) {
    const value = given.get(key);
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || !('shape' in value)) {
      problems.push(`value for "${key}" is not a Tensor.`);
    } else if (!shapesEqual(value.shape, target.shape)) {
      problems.push(`size mismatch for ${key}: copying a param with shape ${fmtShape(value.shape)} from checkpoint, the shape in current model is ${fmtShape(target.shape)}.`);
    }
  }
  if (problems.length) throw new ArgumentError('loadStateDict', `Error(s) in loading state_dict for ${moduleName}:\n\t${problems.join('\n\t')}`);
  noGrad(() => {
    for (const [key, target] of targets) {
      const value = given.get(key);
      if (value !== undefined) target.assign(value.to(target.backendName));
    }
  });
  return { missingKeys, unexpectedKeys };
}

const quoted = (keys: string[]): string => keys.map((k) => `"${k}"`).join(', ');
