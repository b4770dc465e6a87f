/** Running a module with some of its tensors replaced (PyTorch's torch.func.functional_call). */
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { AnyModule, Forward, Module } from './module.js';

/** Where each dotted name of `module`'s parameters and buffers lives (owner[key]). */
function slots(module: AnyModule): Map<string, { owner: Record<string | number, unknown>; key: string | number }> {
  const out = new Map<string, { owner: Record<string | number, unknown>; key: string | number }>();
  for (const [prefix, m] of module.namedModules()) {
    const own = m.members();
    for (const t of [...own.parameters, ...own.buffers]) {
      out.set(prefix ? `${prefix}.${t.name}` : t.name, { owner: t.owner as Record<string | number, unknown>, key: t.key });
    }
  }
  return out;
}

/**
 * Calls `module` with the named parameters/buffers in `tensors` standing in for its own, then puts
 * the originals back (also when forward throws). Gradients flow to the given tensors, so
 * `gradcheck((x, w) => functionalCall(lin, { weight: w }, x), [x, w])` checks a layer's weight
 * gradient, and meta-learning can run a model on adapted weights.
 */
export function functionalCall<F extends Forward>(module: Module<F>, tensors: Record<string, Tensor>, ...inputs: Parameters<F>): ReturnType<F> {
  const where = slots(module as AnyModule);
  const swaps = Object.entries(tensors).map(([name, value]) => {
    const slot = where.get(name);
    if (!slot) throw new ArgumentError('functionalCall', `the module has no parameter or buffer named '${name}' (has: ${[...where.keys()].join(', ')})`);
    return { ...slot, value, original: slot.owner[slot.key] };
  });
  try {
    for (const s of swaps) s.owner[s.key] = s.value;
    return module.forward(...inputs);
  } finally {
    for (const s of swaps) s.owner[s.key] = s.original;
  }
}
