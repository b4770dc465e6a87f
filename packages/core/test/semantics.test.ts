/**
 * Regression tests for the classes of semantic defects a differential test against PyTorch found
 * (issue 8 §1), one describe per class. Expected values are PyTorch 1.13's (float64), each
 * reproducible in closed form as written beside it.
 */
import './setup.js';
import { describe, expect, test } from 'vitest';
import { AutogradError, ShapeError, type Tensor, grad, noGrad, tensor, zeros } from '../src/index.js';

const f64 = { dtype: 'float64' as const };
const leaf = (values: number[] | number[][]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true });
const vals = (t: Tensor | null): number[] => Array.from(t!.data());

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) return;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) throw new Error(`entry ${i}: got ${a}, expected ${e}; actual [${actual.join(', ')}]`);
  });
}

/** Σ of the second derivatives d²(Σ f)/dx_i dx_j · 1_j at x (a Hessian-vector product with ones). */
function hessianOnes(f: (x: Tensor) => Tensor, points: number[]): number[] {
  const x = leaf(points);
  const [g] = grad(f(x), x, { createGraph: true });
  return vals(grad(g!.sum(), x)[0]);
}

describe('a scalar operand with alpha', () => {
  test('add(1, 2) and sub(1, 2) scale the number (PyTorch: [2.5], [-1.5])', () => {
    expectClose(vals(tensor([0.5], f64).add(1, 2)), [2.5]);
    expectClose(vals(tensor([0.5], f64).sub(1, 2)), [-1.5]);
  });
  test('alpha scales a tensor operand and its gradient', () => {
    const b = leaf([1, 2]);
    tensor([0.5, 0.5], f64).sub(b, 3).sum().backward();
    expectClose(vals(b.grad), [-3, -3]);
  });
});

describe('bounds broadcast to the joint shape', () => {
  test('clamp with a [2, 3] lower bound on a [3] input gives [2, 3] values and gradients', () => {
    const x = leaf([0.1, 0.5, 0.9]);
    const lo = leaf([[0.2, 0.3, 0.4], [0.6, 0.7, 0.8]]);
    const y = x.clamp(lo);
    expect(y.shape).toEqual([2, 3]);
    expectClose(vals(y), [0.2, 0.5, 0.9, 0.6, 0.7, 0.9]);
    y.backward(tensor([[1, 2, 3], [4, 5, 6]], f64));
    expectClose(vals(x.grad), [0, 2, 9]);
    expectClose(vals(lo.grad), [1, 0, 0, 4, 5, 0]);
  });
  test('assign cannot shrink a broadcast value (PyTorch copy_: "doesn\'t match the broadcast shape")', () => {
    expect(() => zeros([3]).assign(tensor([[1, 1, 1], [1, 1, 1], [1, 1, 1]]))).toThrow(ShapeError);
    expect(vals(zeros([2, 3]).assign(tensor([1, 2, 3])))).toEqual([1, 2, 3, 1, 2, 3]);
  });
});

describe('no 0·∞ inside a backward', () => {
  test('norm(1.5) at a zero entry: sign(x)·|x|^0.5 / ‖x‖^0.5, 0 at x = 0', () => {
    const x = leaf([0, 1, -2]);
    x.norm(1.5).backward();
    const n = (1 + 2 ** 1.5) ** (1 / 1.5);
    expectClose(vals(x.grad), [0, 1 / Math.sqrt(n), -Math.sqrt(2) / Math.sqrt(n)]);
  });
  test('std of a constant row has gradient 0, not NaN', () => {
    const x = leaf([[2, 2, 2], [1, 2, 4]]);
    x.std(1).sum().backward();
    // row 2: (x − mean)/((n − 1)·std), mean 7/3, std √(7/3)
    const s = Math.sqrt(7 / 3);
    expectClose(vals(x.grad), [0, 0, 0, (1 - 7 / 3) / (2 * s), (2 - 7 / 3) / (2 * s), (4 - 7 / 3) / (2 * s)]);
  });
  test('x.pow(0) has zero first and second derivatives at 0', () => {
    expectClose(hessianOnes((x) => x.pow(0).sum(), [0, 1.5]), [0, 0]);
  });
  test('max() times an infinite incoming gradient: ∞ at the maximum, 0 elsewhere', () => {
    const x = leaf([1, 3, 2]);
    x.max().mul(Infinity).backward();
    expect(vals(x.grad)).toEqual([0, Infinity, 0]);
    const y = leaf([1, 3, 2]);
    y.maximum(tensor([2, 2, 2], f64)).sum().mul(Infinity).backward();
    expect(vals(y.grad)).toEqual([0, Infinity, Infinity]); // the loser gets 0; the tie at 2 takes ∞/2
  });
});

describe('kinks inside smooth functions', () => {
  test('elu gradient at 0 is alpha', () => {
    const x = leaf([0]);
    x.elu(1.5).backward();
    expectClose(vals(x.grad), [1.5]);
  });
  test('softplus and logSigmoid second derivatives at 0: β/4 and −1/4', () => {
    expectClose(hessianOnes((x) => x.softplus().sum(), [0]), [0.25]);
    expectClose(hessianOnes((x) => x.softplus(2).sum(), [0]), [0.5]);
    expectClose(hessianOnes((x) => x.logSigmoid().sum(), [0]), [-0.25]);
  });
});

describe('cross terms of second derivatives', () => {
  test('prod of [0, 2, 3]: gradient [6, 0, 0], Hessian·1 = [5, 3, 2]', () => {
    const x = leaf([0, 2, 3]);
    const [g] = grad(x.prod(), x, { createGraph: true });
    expectClose(vals(g), [6, 0, 0]);
    expectClose(vals(grad(g!.sum(), x)[0]), [5, 3, 2]);
  });
  test('prod along a dim with one zero per row (PyTorch: [[2, 1], [4, 3]])', () => {
    const x = leaf([[0, 2], [3, 0]]);
    const [g] = grad(x.prod(1).sum(), x, { createGraph: true });
    expectClose(vals(g), [2, 0, 0, 3]);
    expectClose(vals(grad(g!.mul(tensor([[1, 2], [3, 4]], f64)).sum(), x)[0]), [2, 1, 4, 3]);
  });
});

describe('edge cases', () => {
  test('chunk of an empty dim gives `chunks` empty pieces', () => {
    const pieces = zeros([0, 3]).chunk(3, 0);
    expect(pieces.map((p) => p.shape)).toEqual([[0, 3], [0, 3], [0, 3]]);
  });
  test('a norm with an infinite entry is ∞ (the max-scaled form would give ∞/∞)', () => {
    expect(tensor([-Infinity, 2, 3], f64).norm().item()).toBe(Infinity);
    expect(tensor([-Infinity, 2, 3], f64).norm(3).item()).toBe(Infinity);
    expect(tensor([NaN, Infinity], f64).norm().item()).toBeNaN();
  });
});

describe('NaN is never hidden', () => {
  test('relu(NaN) is NaN, and so is a hinge built on relu', () => {
    expect(vals(tensor([NaN, -1, 2], f64).relu())).toEqual([NaN, 0, 2]);
    expect(tensor([NaN], f64).neg().add(1).relu().item()).toBeNaN();
    expect(tensor([NaN], f64).elu().item()).toBeNaN();
  });
});

describe('index tensors are version-checked', () => {
  const idx = () => tensor([2, 0], { dtype: 'int32' });
  test.each([
    ['gather', (x: Tensor, i: Tensor) => x.gather(0, i)],
    ['indexSelect', (x: Tensor, i: Tensor) => x.indexSelect(0, i)],
    ['scatterAdd', (x: Tensor, i: Tensor) => x.scatterAdd(0, i, x.narrow(0, 0, 2))],
  ])('%s: an index modified after the forward makes backward raise', (_, op) => {
    const x = leaf([1, 2, 3]);
    const i = idx();
    const y = op(x, i).sum();
    i.assign(tensor([1, 1], { dtype: 'int32' }));
    expect(() => y.backward()).toThrow(AutogradError);
  });
});

describe('backward keeps only what it needs', () => {
  test.each([
    ['add', (w: Tensor) => w.add(tensor([1, 2], f64)).sum()],
    ['sub', (w: Tensor) => tensor([1, 2], f64).sub(w).sum()],
    ['reshape', (w: Tensor) => w.reshape([2, 1]).sum()],
    ['expand', (w: Tensor) => w.expand([3, 2]).sum()],
    ['narrow', (w: Tensor) => w.narrow(0, 1, 1).sum()],
    ['pad', (w: Tensor) => w.pad([1, 1]).sum()],
    ['sum', (w: Tensor) => w.sum()],
  ])('%s: updating the leaf in place before backward is fine (only shapes were saved)', (_, f) => {
    const w = leaf([1, 2]);
    const y = f(w);
    noGrad(() => w.sub_(tensor([1, 1], f64)));
    y.backward();
    expect(w.grad!.shape).toEqual([2]);
  });
});

describe('type promotion keeps the graph', () => {
  test('a float32 leaf times a float64 tensor gets its gradient (in float32), as PyTorch', () => {
    const z = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const y = z.mul(tensor([3, 4], f64));
    expect([y.dtype, y.requiresGrad]).toEqual(['float64', true]);
    y.sum().backward();
    expect(z.grad!.dtype).toBe('float32');
    expectClose(vals(z.grad), [3, 4]);
  });
});
