/** Small shared pieces of the optim tests: float64 parameters, reading values, a closeness check, toy problems. */
import '@graft/backend-cpu';
import { expect } from 'vitest';
import { tensor, type NestedArray, type Tensor } from '@graft/core';

/** A float64 leaf that requires grad. */
export const param = (data: NestedArray): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });
/** A float64 constant. */
export const f64 = (data: NestedArray): Tensor => tensor(data, { dtype: 'float64' });
/** Flat values. */
export const values = (t: Tensor): number[] => Array.from(t.data());

/** Elementwise |a − e| ≤ atol + rtol·|e|, with the worst entry in the failure message. */
export function expectClose(actual: Tensor | readonly number[], expected: readonly number[], atol = 1e-12, rtol = 1e-10, label = 'values'): void {
  const a = Array.isArray(actual) ? (actual as number[]) : values(actual as Tensor);
  expect(a.length, `${label}: length`).toBe(expected.length);
  a.forEach((x, i) => {
    const ok = Math.abs(x - expected[i]) <= atol + rtol * Math.abs(expected[i]);
    if (!ok) expect.fail(`${label}[${i}]: got ${x}, expected ${expected[i]} (atol ${atol}, rtol ${rtol})`);
  });
}

/** Sets `.grad` of each parameter (a number array per parameter, or null). */
export function setGrads(params: readonly Tensor[], grads: readonly (NestedArray | null)[]): void {
  params.forEach((p, i) => { p.grad = grads[i] === null ? null : tensor(grads[i]!, { dtype: p.dtype }); });
}

export { toyRegression } from '../src/testing/toy.js';

/** Runs `steps` of zeroGrad/backward/step and returns [initial loss, final loss]. */
export function descend(opt: { zeroGrad(): void; step(): unknown }, loss: () => Tensor, steps: number): [number, number] {
  const first = loss().item();
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
  return [first, loss().item()];
}
