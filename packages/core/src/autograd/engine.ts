import { AutogradError, BackendError, ShapeError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { withGradMode } from './grad-mode.js';

export interface BackwardOptions {
  /** Keep saved tensors so the graph can be walked again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients (default false). */
  createGraph?: boolean;
}

/** Tensors reachable from `roots` through gradFn inputs, ordered so each comes after all its consumers. */
function reverseTopologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative post-order DFS: deep graphs (long training unrolls) must not overflow the stack.
  const stack: [Tensor, number][] = roots.map((r) => [r, 0]);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    if (i === 0 && visited.has(t)) { stack.pop(); continue; }
    visited.add(t);
    const inputs = t.gradFn?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      if (inputs[i].requiresGrad && !visited.has(inputs[i])) stack.push([inputs[i], 0]);
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/**
 * Propagates `rootGrads` from `roots` to every tensor in their graph, in reverse topological
 * order, and returns the gradient of each tensor that received one. Nodes are freed afterwards
 * unless `retainGraph`.
 */
export function propagate(roots: readonly Tensor[], rootGrads: readonly Tensor[], opts: BackwardOptions = {}): Map<Tensor, Tensor> {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const grads = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, g: Tensor) => {
    const prev = grads.get(t);
    grads.set(t, prev ? prev.add(g) : g);
  };
  roots.forEach((r, i) => accumulate(r, rootGrads[i]));
  const order = reverseTopologicalOrder(roots);
  withGradMode(createGraph, () => {
    for (const t of order) {
      const fn = t.gradFn;
      const g = grads.get(t);
      if (!fn || !g) continue;
      if (fn.released) {
        throw new AutogradError(fn.opName, 'trying to backward through the graph a second time (it was freed by an earlier backward); pass {retainGraph: true} to the first backward');
      }
      const inputGrads = fn.backward(g);
      fn.inputs.forEach((x, i) => {
        const gi = inputGrads[i];
        if (!fn.needsInputGrad[i] || !gi) return;
        if (!shapesEqual(gi.shape, x.shape)) {
          throw new ShapeError(fn.opName, `backward produced a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(x.shape)} (a bug in ${fn.opName}.backward)`);
        }
        accumulate(x, gi);
      });
    }
  });
  if (!retainGraph) for (const t of order) t.gradFn?.release();
  return grads;
}

/** The default seed gradient: ones for a scalar output; anything else must say what it wants. */
export function seedGrad(op: string, t: Tensor, g: Tensor | undefined): Tensor {
  if (g) {
    if (!shapesEqual(g.shape, t.shape)) throw new ShapeError(op, `gradient of shape ${fmtShape(g.shape)} given for an output of shape ${fmtShape(t.shape)}`);
    if (g.backendName !== t.backendName) throw new BackendError(op, `gradient on '${g.backendName}' given for an output on '${t.backendName}' (expected the same backend)`);
    // PyTorch casts a gradient of another dtype to the output's dtype (float64, int32 or bool alike).
    return g.dtype === t.dtype ? g : g.cast(t.dtype);
  }
  if (t.size !== 1) throw new AutogradError(op, `grad can be implicitly created only for a scalar output, got shape ${fmtShape(t.shape)}; pass a gradient of that shape`);
  return t.onesLike();
}

/** `t.backward()`: accumulates d(t)/d(leaf) into `.grad` of every leaf that requires grad. */
export function backward(t: Tensor, gradient?: Tensor, opts: BackwardOptions = {}): void {
  if (!t.requiresGrad) throw new AutogradError('backward', 'the tensor does not require grad and has no gradFn (did you forget requiresGrad: true, or call it inside noGrad?)');
  const grads = propagate([t], [seedGrad('backward', t, gradient)], opts);
  for (const [x, g] of grads) {
    if (x.gradFn || !x.requiresGrad) continue;
    const gd = opts.createGraph ? g : g.detach();
    x.grad = x.grad ? (opts.createGraph ? x.grad.add(gd) : x.grad.add(gd).detach()) : gd;
  }
}

export interface GradOptions extends BackwardOptions {
  /** Gradients to seed each output with (default: ones for scalar outputs). */
  gradOutputs?: readonly (Tensor | undefined)[];
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/** The functional form: d(outputs)/d(inputs), returned rather than accumulated (PyTorch's `torch.autograd.grad`). */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? inputs : [inputs as Tensor];
  outs.forEach((o, i) => {
    if (!o.requiresGrad) throw new AutogradError('grad', `output ${i} does not require grad and has no gradFn`);
  });
  ins.forEach((x, i) => {
    if (!x.requiresGrad) throw new AutogradError('grad', `input ${i} does not require grad`);
  });
  const seeds = outs.map((o, i) => seedGrad('grad', o, opts.gradOutputs?.[i]));
  const grads = propagate(outs, seeds, opts);
  return ins.map((x, i) => {
    const g = grads.get(x);
    if (!g && !opts.allowUnused) throw new AutogradError('grad', `input ${i} was not used in the graph of the outputs; pass {allowUnused: true} to get null`);
    return g ? (opts.createGraph ? g : g.detach()) : null;
  });
}
