/**
 * Finding a module's members. A module's own fields are walked in order; arrays and plain objects
 * are looked into (their entries named `field.0`, `field.key`), tensors marked as parameters or
 * buffers are taken, and modules become children. Everything else (numbers, options, functions,
 * unmarked tensors) is ignored.
 */
import { Tensor } from '../tensor.js';
import { isBuffer, isParameter } from './parameter.js';

/** The structural view a walk needs of a module (implemented by Module). */
export interface HasMembers {
  /** [name, value] pairs to walk: the module's own fields unless a container says otherwise. */
  memberEntries(): [string, unknown][];
}

/** A member found in a module: where it sits (owner[key]) and what it is. */
export interface Member<T> {
  name: string;
  owner: object;
  key: string | number;
  value: T;
}

/** One module's direct members: its own parameters, buffers and child modules, each in field order. */
export interface Members<M> {
  parameters: Member<Tensor>[];
  buffers: Member<Tensor>[];
  children: Member<M>[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** The direct members of `module` (`isModule` tells a child module from anything else). */
export function membersOf<M extends object>(module: HasMembers, isModule: (v: unknown) => v is M): Members<M> {
  const out: Members<M> = { parameters: [], buffers: [], children: [] };
  const visit = (name: string, owner: object, key: string | number, value: unknown, seen: Set<unknown>): void => {
    if (value instanceof Tensor) {
      if (isParameter(value)) out.parameters.push({ name, owner, key, value });
      else if (isBuffer(value)) out.buffers.push({ name, owner, key, value });
    } else if (isModule(value)) {
      out.children.push({ name, owner, key, value });
    } else if ((Array.isArray(value) || isPlainObject(value)) && !seen.has(value)) {
      seen.add(value);
      const entries: [string | number, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
      for (const [k, v] of entries) visit(`${name}.${k}`, value, k, v, seen);
    }
  };
  for (const [key, value] of module.memberEntries()) visit(key, module, key, value, new Set());
  return out;
}
