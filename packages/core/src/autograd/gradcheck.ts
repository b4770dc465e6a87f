import { AutogradError } from '../errors.js';
import { fromHost } from '../ops/primitives.js';
import { concat } from '../ops/movement.js';
import type { Tensor } from '../tensor.js';
import { grad } from './engine.js';

export interface GradcheckOptions {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Also check second derivatives: gradcheck of the (createGraph) gradient itself. */
  secondOrder?: boolean;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytic − numeric| − (atol + rtol·|numeric|) over all entries (≤ 0 when ok). */
  worstExcess: number;
  /** Human-readable description of the worst entry. */
  message: string;
}

/**
 * Compares the analytic Jacobian of `fn` (from backward) with central finite differences, entry
 * by entry, in float64 (as torch.autograd.gradcheck). Inputs must be float64 tensors requiring
 * grad. A vector-valued output is checked through each of its elements.
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = opts;
  inputs.forEach((x, i) => {
    if (x.dtype !== 'float64') throw new AutogradError('gradcheck', `input ${i} is ${x.dtype}; gradcheck needs float64 inputs`);
    if (!x.requiresGrad) throw new AutogradError('gradcheck', `input ${i} does not require grad`);
  });
  const out = fn(...inputs);
  const outValues = out.data();
  const m = outValues.length;
  let worst = { excess: -Infinity, message: 'no entries compared' };
  // Analytic: row j of the Jacobian is the gradient of output element j.
  const analytic: Float64Array[][] = [];
  for (let j = 0; j < m; j++) {
    const seed = new Float64Array(m);
    seed[j] = 1;
    // An output outside the graph is constant in the inputs (e.g. the gradient of a linear fn): zero Jacobian.
    const gs = out.requiresGrad ? grad(out, inputs, { gradOutputs: [fromLike(out, seed)], retainGraph: true, allowUnused: true }) : inputs.map(() => null);
    analytic.push(gs.map((g, i) => (g ? Float64Array.from(g.data()) : new Float64Array(inputs[i].size))));
  }
  // Numeric: perturb each input entry both ways on a copy of its values.
  inputs.forEach((x, i) => {
    const base = Float64Array.from(x.data());
    for (let k = 0; k < base.length; k++) {
      const at = (delta: number) => {
        const shifted = Float64Array.from(base);
        shifted[k] += delta;
        // Fresh leaves that require grad, so an fn that itself calls grad() (second order) still works.
        const args = inputs.map((y, q) => (q === i ? fromLike(y, shifted) : y).requiresGrad_());
        return Float64Array.from(fn(...args).data());
      };
      const plus = at(eps);
      const minus = at(-eps);
      for (let j = 0; j < m; j++) {
        const numeric = (plus[j] - minus[j]) / (2 * eps);
        const a = analytic[j][i][k];
        const excess = Math.abs(a - numeric) - (atol + rtol * Math.abs(numeric));
        if (Number.isNaN(excess) || excess > worst.excess) {
          worst = { excess: Number.isNaN(excess) ? Infinity : excess, message: `input ${i}, entry ${k}, output ${j}: analytic ${a}, numeric ${numeric}` };
        }
      }
    }
  });
  let result: GradcheckResult = { ok: worst.excess <= 0 || m === 0, worstExcess: worst.excess, message: worst.message };
  if (result.ok && opts.secondOrder) {
    // Second order: the gradient of Σ (fn · w) for a fixed w is itself a differentiable function.
    const w = fromLike(out, Float64Array.from({ length: m }, (_, j) => 1 + ((j * 7919) % 13) / 13));
    const second = gradcheck((...xs) => {
      const gs = grad(fn(...xs).mul(w).sum(), xs, { createGraph: true, allowUnused: true });
      return concat(gs.map((g, q) => (g ?? xs[q].zerosLike()).reshape([-1])));
    }, inputs, { eps, atol, rtol });
    result = { ...second, message: `second order: ${second.message}` };
  }
  return result;
}

/** A fresh float64 tensor (no grad) shaped like `like`, on its backend, holding `values`. */
function fromLike(like: Tensor, values: Float64Array): Tensor {
  return fromHost(like, values, like.shape, 'float64');
}
