/**
 * Autograd semantics (PyTorch's), checked against closed forms computed here in plain JS:
 * accumulation, broadcasting, graph lifetime, grad modes, higher-order derivatives, and a
 * Hessian-vector product; then nn basics and a least-squares fit by gradient descent.
 */
import './setup.js';
import { describe, expect, test } from 'vitest';
import {
  AutogradError, DtypeError, ShapeError, Tensor, concat, dot, enableGrad, grad, gradcheck, isGradEnabled, nn, noGrad, outer, pow,
  stack, tensor, zeros,
} from '../src/index.js';

// ---- helpers ---------------------------------------------------------------------------------
const f64 = { dtype: 'float64' as const };
const leaf = (values: number[] | number[][]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true });
const vals = (t: Tensor | null): number[] => Array.from(t!.data());

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`entry ${i}: got ${a}, expected ${e} (tol ${tol}); actual [${actual.join(', ')}], expected [${expected.join(', ')}]`);
    }
  });
}

/** Second derivative of Σ f(x_i) at each point, by grad(grad(.), createGraph) through graft. */
function secondDerivative(f: (x: Tensor) => Tensor, points: number[]): number[] {
  const x = leaf(points);
  const [g1] = grad(f(x).sum(), x, { createGraph: true });
  const [g2] = grad(g1!.sum(), x);
  return vals(g2);
}

const sech2 = (v: number) => 1 / Math.cosh(v) ** 2;
const sig = (v: number) => 1 / (1 + Math.exp(-v));

// ---- accumulation and broadcasting ---------------------------------------------------------------
describe('backward', () => {
  test('accumulates into .grad across two backward calls', () => {
    const x = leaf([1, -2, 3]);
    x.square().sum().backward(); // d/dx Σx² = 2x
    expect(vals(x.grad)).toEqual([2, -4, 6]);
    x.mul(3).sum().backward(); // + 3
    expect(vals(x.grad)).toEqual([5, -1, 9]);
    expect(x.grad!.requiresGrad).toBe(false);
    expect(x.grad!.shape).toEqual([3]);
  });

  test('a value used twice gets both contributions', () => {
    const x = leaf([2, -1]);
    // y = x·x + x: dy/dx = 2x + 1 (x appears three times in the graph)
    x.mul(x).add(x).sum().backward();
    expect(vals(x.grad)).toEqual([5, -1]);

    // a shared intermediate: h = x², y = h·h + 3h → dy/dx = (2h + 3)·2x
    const z = leaf([1.5, -0.5]);
    const h = z.square();
    h.mul(h).add(h.mul(3)).sum().backward();
    expectClose(vals(z.grad), [1.5, -0.5].map((v) => (2 * v * v + 3) * 2 * v));
  });

  test('gradients of broadcast inputs are summed back to each input shape', () => {
    // [3,1] + [1,4] → [3,4]; weights make every position distinct
    const a = leaf([[1], [2], [3]]);
    const b = leaf([[10, 20, 30, 40]]);
    const w = tensor(Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => i * 4 + j + 1)), f64);
    a.add(b).mul(w).sum().backward();
    // ∂/∂a_i = Σ_j w_ij; ∂/∂b_j = Σ_i w_ij
    expect(a.grad!.shape).toEqual([3, 1]);
    expect(b.grad!.shape).toEqual([1, 4]);
    expect(vals(a.grad)).toEqual([1 + 2 + 3 + 4, 5 + 6 + 7 + 8, 9 + 10 + 11 + 12]);
    expect(vals(b.grad)).toEqual([1 + 5 + 9, 2 + 6 + 10, 3 + 7 + 11, 4 + 8 + 12]);

    // scalar · [2,3]: ∂/∂s = Σ m, ∂/∂m = s
    const s = tensor(2.5, { dtype: 'float64', requiresGrad: true });
    const m = leaf([[1, 2, 3], [4, 5, 6]]);
    s.mul(m).sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(21);
    expect(vals(m.grad)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);

    // scalar + [2,3]: ∂/∂s = number of elements
    const s2 = tensor(1, { dtype: 'float64', requiresGrad: true });
    s2.add(zeros([2, 3], f64)).sum().backward();
    expect(s2.grad!.item()).toBe(6);

    // [4] * [2,3,4]: ∂/∂v_k = Σ_{i,j} u_ijk, ∂/∂u = v broadcast
    const uValues = Array.from({ length: 24 }, (_, i) => (i % 7) - 3);
    const v = leaf([1, 2, 3, 4]);
    const u = tensor(uValues, { dtype: 'float64' }).reshape(2, 3, 4).requiresGrad_();
    v.mul(u).sum().backward();
    const expectedV = [0, 1, 2, 3].map((k) => uValues.filter((_, i) => i % 4 === k).reduce((p, q) => p + q, 0));
    expect(v.grad!.shape).toEqual([4]);
    expect(vals(v.grad)).toEqual(expectedV);
    expect(u.grad!.shape).toEqual([2, 3, 4]);
    expect(vals(u.grad)).toEqual(uValues.map((_, i) => (i % 4) + 1));

    // sub and div with broadcasting: y = a / b − b, a: [2,1], b: [3]
    const a2 = leaf([[1], [2]]);
    const b2 = leaf([2, 4, 8]);
    a2.div(b2).sub(b2).sum().backward();
    const invSum = 1 / 2 + 1 / 4 + 1 / 8;
    expectClose(vals(a2.grad), [invSum, invSum]);
    // ∂/∂b_j = Σ_i (−a_i / b_j²) − 2
    expectClose(vals(b2.grad), [2, 4, 8].map((bj) => -(1 + 2) / (bj * bj) - 2));
  });

  test('maximum/minimum send the gradient to the winner and split ties (with broadcasting)', () => {
    // regression: Extremum.backward called where(cond, 1, 0) with two scalars, which threw
    const a = leaf([1, 3, 2]);
    const b = leaf([2, 3, 1]);
    a.maximum(b).sum().backward();
    expect(vals(a.grad)).toEqual([0, 0.5, 1]);
    expect(vals(b.grad)).toEqual([1, 0.5, 0]);
    const c = leaf([[1, 5], [4, 0]]);
    const s = tensor(2, { dtype: 'float64', requiresGrad: true });
    c.minimum(s).sum().backward(); // s wins at 5 and 4
    expect(vals(c.grad)).toEqual([1, 0, 0, 1]);
    expect(s.grad!.item()).toBe(2);
    // where(cond, scalar, scalar) works as torch.where(c, 1., 0.)
    expect(tensor([true, false, true]).where(1, 0).toArray()).toEqual([1, 0, 1]);
    expect(tensor([true, false]).where(true, false).dtype).toBe('bool');
  });

  test('retainGraph allows a second backward; without it a second backward throws', () => {
    const x = leaf([0.5, 1]);
    const y = x.exp().sum(); // saves tensors
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(vals(x.grad), [0.5, 1].map((v) => 2 * Math.exp(v)));

    const x2 = leaf([0.5, 1]);
    const y2 = x2.exp().mul(x2).sum();
    y2.backward();
    expect(() => y2.backward()).toThrow(AutogradError);
    expect(() => y2.backward()).toThrow(/second time/);
  });

  test('backward on a non-scalar needs a gradient', () => {
    const x = leaf([1, 2, 3]);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/scalar.*\[3\]/);
    // with an explicit gradient it works: vector-Jacobian product
    y.backward(tensor([1, 10, 100], f64));
    expect(vals(x.grad)).toEqual([2, 20, 200]);
    // a gradient of the wrong shape is a ShapeError
    expect(() => x.mul(2).backward(tensor([1, 2], f64))).toThrow(ShapeError);
  });

  test('backward on a tensor that does not require grad throws', () => {
    expect(() => tensor([1, 2]).sum().backward()).toThrow(AutogradError);
  });
});

// ---- grad(), grad modes, detach ------------------------------------------------------------------
describe('grad() and grad modes', () => {
  test('grad(outputs, inputs) returns gradients and does not touch .grad', () => {
    const x = leaf([1, 2]);
    const y = leaf([3, -1]);
    const out = x.mul(y).add(x.square()).sum();
    const [gx, gy] = grad(out, [x, y]);
    expect(vals(gx)).toEqual([3 + 2, -1 + 4]);
    expect(vals(gy)).toEqual([1, 2]);
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
    // and leaves an existing .grad alone
    x.square().sum().backward();
    expect(vals(x.grad)).toEqual([2, 4]);
    grad(x.mul(5).sum(), x);
    expect(vals(x.grad)).toEqual([2, 4]);
  });

  test('grad of several outputs with gradOutputs, and of a non-leaf', () => {
    const x = leaf([1, 2]);
    const h = x.mul(3);
    const [gh, gx] = grad(h.square().sum(), [h, x]);
    expect(vals(gh)).toEqual([6, 12]); // 2h
    expect(vals(gx)).toEqual([18, 36]); // 2h·3
    const [g] = grad([x.mul(2), x.square()], x, { gradOutputs: [tensor([1, 1], f64), tensor([10, 100], f64)] });
    expect(vals(g)).toEqual([2 + 10 * 2, 2 + 100 * 4]);
  });

  test('allowUnused returns null for inputs the outputs do not depend on', () => {
    const x = leaf([1, 2]);
    const unused = leaf([5]);
    const out = x.sum();
    expect(() => grad(out, [x, unused], { retainGraph: true })).toThrow(AutogradError);
    const [gx, gu] = grad(out, [x, unused], { allowUnused: true });
    expect(vals(gx)).toEqual([1, 1]);
    expect(gu).toBeNull();
  });

  test('noGrad builds no graph; enableGrad inside it does', () => {
    const x = leaf([1, 2]);
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(2).exp();
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(y.isLeaf).toBe(true);
    const z = noGrad(() => enableGrad(() => x.mul(2)));
    expect(z.requiresGrad).toBe(true);
    expect(z.gradFn).not.toBeNull();
    expect(isGradEnabled()).toBe(true);
    // the mode is restored even when fn throws
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  test('detach() cuts the graph but shares values', () => {
    const x = leaf([1, 2, 3]);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(vals(d)).toEqual([2, 4, 6]);
    // y = x·detach(x): the detached factor is a constant, so dy/dx = detach(x) = x (not 2x)
    x.mul(x.detach()).sum().backward();
    expect(vals(x.grad)).toEqual([1, 2, 3]);
  });

  test('zeroGrad clears .grad so the next backward starts afresh', () => {
    const x = leaf([1, 2]);
    x.square().sum().backward();
    expect(vals(x.grad)).toEqual([2, 4]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.mul(7).sum().backward();
    expect(vals(x.grad)).toEqual([7, 7]);
  });

  test('isLeaf, requiresGrad propagation and int tensors', () => {
    const x = leaf([1, 2]);
    const c = tensor([3, 4], f64);
    expect(x.isLeaf).toBe(true);
    expect(c.isLeaf).toBe(true);
    const y = x.add(c);
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    expect(c.add(c).requiresGrad).toBe(false);
    expect(() => { y.requiresGrad = false; }).toThrow(AutogradError);
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(DtypeError);
    expect(() => tensor([1, 2], { dtype: 'int32' }).requiresGrad_()).toThrow(DtypeError);
    expect(() => tensor([true]).requiresGrad_()).toThrow(DtypeError);
    // comparisons produce bool results outside the graph
    expect(x.gt(1).requiresGrad).toBe(false);
  });
});

// ---- higher-order derivatives --------------------------------------------------------------------
describe('higher-order gradients', () => {
  const points = [-1.7, -0.4, 0.3, 1.1, 2.2];

  test('x³ → 6x', () => {
    expectClose(secondDerivative((x) => x.pow(3), points), points.map((v) => 6 * v));
    expectClose(secondDerivative((x) => x.mul(x).mul(x), points), points.map((v) => 6 * v));
  });

  test('sin x → −sin x', () => {
    expectClose(secondDerivative((x) => x.sin(), points), points.map((v) => -Math.sin(v)));
  });

  test('exp(2x)·x → 4(x+1)e^{2x}', () => {
    expectClose(secondDerivative((x) => x.mul(2).exp().mul(x), points), points.map((v) => 4 * (v + 1) * Math.exp(2 * v)));
  });

  test('x·tanh x → 2 sech²x (1 − x tanh x)', () => {
    expectClose(secondDerivative((x) => x.mul(x.tanh()), points), points.map((v) => 2 * sech2(v) * (1 - v * Math.tanh(v))));
  });

  test('log(1+x²) → 2(1−x²)/(1+x²)²', () => {
    expectClose(secondDerivative((x) => x.square().add(1).log(), points), points.map((v) => (2 * (1 - v * v)) / (1 + v * v) ** 2));
    expectClose(secondDerivative((x) => x.square().log1p(), points), points.map((v) => (2 * (1 - v * v)) / (1 + v * v) ** 2));
  });

  test('sigmoid → σ(1−σ)(1−2σ)', () => {
    expectClose(secondDerivative((x) => x.sigmoid(), points), points.map((v) => sig(v) * (1 - sig(v)) * (1 - 2 * sig(v))));
  });

  test('first derivatives returned with createGraph match the closed forms too', () => {
    const x = leaf(points);
    const [g] = grad(x.mul(2).exp().mul(x).sum(), x, { createGraph: true });
    expect(g!.requiresGrad).toBe(true);
    expectClose(vals(g), points.map((v) => Math.exp(2 * v) * (2 * v + 1)));
  });

  test('mixed partial ∂²f/∂x∂y of f = x²y³ + sin(xy)', () => {
    const xs = [0.7, -1.2, 1.9];
    const ys = [-0.3, 0.8, 1.4];
    const x = leaf(xs);
    const y = leaf(ys);
    const f = x.square().mul(y.pow(3)).add(x.mul(y).sin()).sum();
    const [fx] = grad(f, x, { createGraph: true });
    // ∂f/∂x = 2xy³ + y cos(xy)
    expectClose(vals(fx), xs.map((a, i) => 2 * a * ys[i] ** 3 + ys[i] * Math.cos(a * ys[i])));
    const [fxy, fxx] = grad(fx!.sum(), [y, x]);
    // ∂²f/∂x∂y = 6xy² + cos(xy) − xy sin(xy); ∂²f/∂x² = 2y³ − y² sin(xy)
    expectClose(vals(fxy), xs.map((a, i) => { const b = ys[i]; return 6 * a * b * b + Math.cos(a * b) - a * b * Math.sin(a * b); }));
    expectClose(vals(fxx), xs.map((a, i) => { const b = ys[i]; return 2 * b ** 3 - b * b * Math.sin(a * b); }));
  });

  test('third derivative of x⁴ is 24x', () => {
    const x = leaf(points);
    const [g1] = grad(x.pow(4).sum(), x, { createGraph: true });
    const [g2] = grad(g1!.sum(), x, { createGraph: true });
    expectClose(vals(g2), points.map((v) => 12 * v * v));
    const [g3] = grad(g2!.sum(), x);
    expectClose(vals(g3), points.map((v) => 24 * v));
  });

  test('Hessian-vector product of Σ log(1+exp(Aw)) + ½‖w‖² equals (Aᵀ diag(σ(1−σ)) A + I) v', () => {
    const A = [
      [0.5, -1.2, 0.3],
      [1.1, 0.4, -0.7],
      [-0.6, 0.9, 1.5],
      [0.2, -0.3, -1.1],
    ];
    const w0 = [0.3, -0.7, 1.1];
    const v0 = [1, -2, 0.5];

    // analytic, in plain loops
    const z = A.map((row) => row.reduce((s, a, j) => s + a * w0[j], 0));
    const s = z.map(sig);
    const gradExpected = w0.map((wj, j) => wj + A.reduce((acc, row, i) => acc + row[j] * s[i], 0));
    const H = w0.map((_, j) => w0.map((__, k) => (j === k ? 1 : 0) + A.reduce((acc, row, i) => acc + row[j] * s[i] * (1 - s[i]) * row[k], 0)));
    const hvExpected = H.map((row) => row.reduce((acc, h, k) => acc + h * v0[k], 0));

    for (const form of ['log1p(exp)', 'softplus'] as const) {
      const At = tensor(A, f64);
      const w = leaf(w0);
      const v = tensor(v0, f64);
      const aw = At.matmul(w);
      const lse = form === 'softplus' ? aw.softplus() : aw.exp().log1p();
      const f = lse.sum().add(w.square().sum().mul(0.5));
      expectClose([f.item()], [z.reduce((acc, zi) => acc + Math.log(1 + Math.exp(zi)), 0) + 0.5 * w0.reduce((acc, wi) => acc + wi * wi, 0)]);
      const [g] = grad(f, w, { createGraph: true });
      expectClose(vals(g), gradExpected);
      const [hv] = grad(g!.mul(v).sum(), w);
      expectClose(vals(hv), hvExpected);
    }
  });
});

// ---- every differentiable op against finite differences (first and second order) ---------------
describe('gradcheck of op backward formulas (float64, first and second order)', () => {
  const X = () => leaf([[0.3, -1.2, 0.8], [1.5, 0.45, -0.6]]);
  const P = () => leaf([[0.3, 1.2, 0.8], [1.5, 0.45, 0.6]]); // positive, for log/sqrt/pow bases
  const Y = () => leaf([[0.7, 0.2, -0.9], [-0.4, 1.1, 0.25]]);
  const idx = () => tensor([[1, 0, 2], [0, 0, 1]], { dtype: 'int32' });
  const cases: [string, (...xs: Tensor[]) => Tensor, () => Tensor[]][] = [
    ['exp', (x) => x.exp(), () => [X()]], ['expm1', (x) => x.expm1(), () => [X()]],
    ['log', (x) => x.log(), () => [P()]], ['log1p', (x) => x.log1p(), () => [P()]], ['log2', (x) => x.log2(), () => [P()]],
    ['sqrt', (x) => x.sqrt(), () => [P()]], ['rsqrt', (x) => x.rsqrt(), () => [P()]], ['reciprocal', (x) => x.reciprocal(), () => [X()]],
    ['sin', (x) => x.sin(), () => [X()]], ['cos', (x) => x.cos(), () => [X()]], ['tanh', (x) => x.tanh(), () => [X()]],
    ['sigmoid', (x) => x.sigmoid(), () => [X()]], ['erf', (x) => x.erf(), () => [X()]], ['abs', (x) => x.abs(), () => [X()]],
    ['square', (x) => x.square(), () => [X()]],
    ['pow(tensor, tensor)', (a, b) => a.pow(b), () => [P(), Y()]], ['pow(x, 2.5)', (a) => a.pow(2.5), () => [P()]],
    ['pow(2, x)', (b) => pow(2, b), () => [Y()]], ['div', (a, b) => a.div(b), () => [X(), P()]], ['mul', (a, b) => a.mul(b), () => [X(), Y()]],
    ['maximum', (a, b) => a.maximum(b), () => [X(), Y()]], ['minimum', (a, b) => a.minimum(b), () => [X(), Y()]],
    ['where', (a, b) => a.gt(0).where(a, b), () => [X(), Y()]], ['clamp', (x) => x.clamp(-0.5, 1), () => [X()]],
    ['clamp(x, lo tensor, hi tensor)', (x, lo) => x.clamp(lo.mul(0.5), lo.add(0.4)), () => [X(), Y()]],
    ['relu', (x) => x.relu(), () => [X()]], ['leakyRelu', (x) => x.leakyRelu(0.1), () => [X()]], ['elu', (x) => x.elu(), () => [X()]],
    ['gelu', (x) => x.gelu(), () => [X()]], ['gelu tanh', (x) => x.gelu('tanh'), () => [X()]], ['silu', (x) => x.silu(), () => [X()]],
    ['softplus(β=2)', (x) => x.softplus(2), () => [X()]], ['logSigmoid', (x) => x.logSigmoid(), () => [X()]],
    ['sum', (x) => x.sum(1), () => [X()]], ['mean', (x) => x.mean(0), () => [X()]], ['prod', (x) => x.prod(1), () => [X()]],
    ['var', (x) => x.var(1), () => [X()]], ['std', (x) => x.std(), () => [X()]], ['amax', (x) => x.amax(1), () => [X()]],
    ['max(dim)', (x) => x.max(1).values, () => [X()]], ['cumsum', (x) => x.cumsum(1), () => [X()]],
    ['softmax', (x) => x.softmax(1), () => [X()]], ['logSoftmax', (x) => x.logSoftmax(0), () => [X()]],
    ['logsumexp', (x) => x.logsumexp([0, 1]), () => [X()]],
    ['norm(2, dim)', (x) => x.norm(2, 1), () => [X()]], ['norm(3)', (x) => x.norm(3), () => [X()]], ['norm(1)', (x) => x.norm(1, 0), () => [X()]],
    ['norm(∞)', (x) => x.norm(Infinity, 1), () => [X()]],
    ['matmul', (a, b) => a.matmul(b.T), () => [X(), Y()]], ['batched broadcast matmul', (a, b) => a.reshape(2, 1, 3).matmul(b.reshape(1, 3, 2)), () => [X(), Y()]],
    ['matrix @ vector', (a, b) => a.matmul(b.reshape(-1).narrow(0, 0, 3)), () => [X(), Y()]],
    ['vector @ matrix', (a, b) => a.reshape(-1).narrow(0, 0, 2).matmul(b), () => [X(), Y()]],
    ['dot', (a, b) => dot(a.reshape(-1), b.reshape(-1)), () => [X(), Y()]], ['outer', (a, b) => outer(a.reshape(-1), b.reshape(-1)), () => [X(), Y()]],
    ['gather', (x) => x.gather(1, idx()), () => [X()]], ['scatterAdd', (x, src) => x.scatterAdd(1, idx(), src), () => [X(), Y()]],
    ['indexSelect', (x) => x.indexSelect(1, tensor([2, 2, 0], { dtype: 'int32' })), () => [X()]],
    ['sort', (x) => x.sort(1).values, () => [X()]], ['topk', (x) => x.topk(2, 1).values, () => [X()]],
    ['pad', (x) => x.pad([1, 2, 0, 1], 3), () => [X()]], ['pad (negative crops)', (x) => x.pad([-1, 1]), () => [X()]],
    ['concat', (a, b) => concat([a, b], 1), () => [X(), Y()]], ['stack', (a, b) => stack([a, b], 1), () => [X(), Y()]],
    ['split', (x) => x.split(2, 1)[1], () => [X()]], ['tril', (x) => x.tril(), () => [X()]], ['flip', (x) => x.flip([0, 1]), () => [X()]],
    ['slice with step', (x) => x.slice(1, 0, 3, 2), () => [X()]], ['to(backend)', (x) => x.to('cpu').mul(2), () => [X()]],
  ];
  test.each(cases)('%s', (_name, fn, make) => {
    const r = gradcheck(fn, make(), { secondOrder: true });
    expect(r.message).toBe(r.ok ? r.message : 'ok');
    expect(r.ok).toBe(true);
  });

  test('clamp with tensor bounds sends each gradient to exactly one of x, lo, hi', () => {
    // regression: the bounds got no gradient at all
    const x = leaf([-2, -0.5, 0.5, 2, 3]);
    const lo = leaf([-1, -1, 1, 1, 4]);
    const hi = leaf([1, 1, 2, 1.5, 3.5]); // the last lo > hi: the result is hi, as min(max(x, lo), hi)
    const y = x.clamp(lo, hi);
    expect(vals(y)).toEqual([-1, -0.5, 1, 1.5, 3.5]);
    y.sum().backward();
    expect(vals(x.grad)).toEqual([0, 1, 0, 0, 0]);
    expect(vals(lo.grad)).toEqual([1, 0, 1, 0, 0]);
    expect(vals(hi.grad)).toEqual([0, 0, 0, 1, 1]);
    // a broadcast bound sums its gradient back
    const s = tensor(0, { dtype: 'float64', requiresGrad: true });
    leaf([-1, 2, -3]).clamp(s).sum().backward();
    expect(s.grad!.item()).toBe(2);
  });

  test('gradcheck treats an output that does not depend on the inputs as a zero Jacobian', () => {
    // regression: second order of a linear fn threw "output 0 does not require grad"
    expect(gradcheck((x) => x.mul(3).cumsum(1), [leaf([[1, 2], [3, 4]])], { secondOrder: true }).ok).toBe(true);
    expect(gradcheck(() => tensor([1, 2], f64), [leaf([1])]).ok).toBe(true);
  });
});

// ---- nn ----------------------------------------------------------------------------------------
describe('nn', () => {
  test('Linear computes x Wᵀ + b and exposes [weight, bias]', () => {
    const lin = new nn.Linear(3, 2, { dtype: 'float64' });
    expect(lin.weight.shape).toEqual([2, 3]);
    expect(lin.bias!.shape).toEqual([2]);
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(lin.parameters()).toEqual([lin.weight, lin.bias]);
    // PyTorch's default init bound: |W| ≤ 1/√in, |b| ≤ 1/√in
    const bound = 1 / Math.sqrt(3);
    for (const p of lin.parameters()) for (const e of vals(p)) expect(Math.abs(e)).toBeLessThanOrEqual(bound);

    const W = vals(lin.weight);
    const b = vals(lin.bias);
    const xs = [[1, 2, 3], [-1, 0.5, 2]];
    const y = lin.forward(tensor(xs, f64));
    expect(y.shape).toEqual([2, 2]);
    const expected = xs.flatMap((row) => [0, 1].map((o) => b[o] + row.reduce((acc, xi, i) => acc + xi * W[o * 3 + i], 0)));
    expectClose(vals(y), expected);

    const noBias = new nn.Linear(4, 5, { bias: false });
    expect(noBias.bias).toBeNull();
    expect(noBias.parameters().length).toBe(1);
  });

  test('Sequential chains layers; parameters() come depth first in order', () => {
    const l1 = new nn.Linear(3, 4, { dtype: 'float64' });
    const l2 = new nn.Linear(4, 2, { dtype: 'float64' });
    const model = new nn.Sequential(l1, new nn.ReLU(), l2);
    expect(model.parameters().length).toBe(4);
    expect(model.parameters()).toEqual([l1.weight, l1.bias, l2.weight, l2.bias]);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);

    const x = tensor([[0.5, -1, 2]], f64);
    const y = model.forward(x);
    const W1 = vals(l1.weight), b1 = vals(l1.bias), W2 = vals(l2.weight), b2 = vals(l2.bias);
    const h = [0, 1, 2, 3].map((o) => Math.max(0, b1[o] + [0.5, -1, 2].reduce((acc, xi, i) => acc + xi * W1[o * 3 + i], 0)));
    const out = [0, 1].map((o) => b2[o] + h.reduce((acc, hi, i) => acc + hi * W2[o * 4 + i], 0));
    expectClose(vals(y), out);

    // backward reaches every parameter; zeroGrad clears them all
    y.sum().backward();
    for (const p of model.parameters()) expect(p.grad).not.toBeNull();
    expectClose(vals(l2.bias!.grad), [1, 1]);
    model.zeroGrad();
    for (const p of model.parameters()) expect(p.grad).toBeNull();
  });

  test('least squares by hand-written gradient descent converges to the normal-equations solution', () => {
    // y ≈ X β + c, 12 samples, 2 features (plus intercept)
    const X = Array.from({ length: 12 }, (_, i) => [Math.sin(i) * 2, ((i * 7) % 5) - 2]);
    const y = X.map(([a, b], i) => 1.5 * a - 0.8 * b + 0.3 + 0.1 * Math.cos(3 * i));

    // closed form: solve (DᵀD) θ = Dᵀy with D = [X, 1], by Gaussian elimination
    const D = X.map((r) => [...r, 1]);
    const M = [0, 1, 2].map((j) => [0, 1, 2].map((k) => D.reduce((s, r) => s + r[j] * r[k], 0)));
    const rhs = [0, 1, 2].map((j) => D.reduce((s, r, i) => s + r[j] * y[i], 0));
    const theta = solve(M, rhs);

    const Xt = tensor(X, f64);
    const yt = tensor(y, f64).reshape(12, 1);
    const lr = 0.1;
    const fit = (update: (p: Tensor) => Tensor) => {
      const model = new nn.Linear(2, 1, { dtype: 'float64' });
      let loss = Infinity;
      for (let step = 0; step < 400; step++) {
        const l = model.forward(Xt).sub(yt).square().mean();
        loss = l.item();
        l.backward();
        noGrad(() => { for (const p of model.parameters()) update(p); });
        model.zeroGrad();
      }
      return { theta: [...vals(model.weight), ...vals(model.bias)], loss };
    };
    // in place, as an optimizer would: p ← p − lr·∇p
    const inPlace = fit((p) => p.sub_(p.grad!, lr));
    expectClose(inPlace.theta, theta, 1e-6);
    // and functionally, on plain leaves rebuilt each step (no in-place op involved)
    let w = zeros([1, 2], { dtype: 'float64', requiresGrad: true });
    let b = zeros([1], { dtype: 'float64', requiresGrad: true });
    for (let step = 0; step < 400; step++) {
      Xt.matmul(w.T).add(b).sub(yt).square().mean().backward();
      const [gw, gb] = [w.grad!, b.grad!];
      w = noGrad(() => w.sub(gw.mul(lr))).requiresGrad_();
      b = noGrad(() => b.sub(gb.mul(lr))).requiresGrad_();
    }
    expectClose([...vals(w), ...vals(b)], theta, 1e-6);
    const loss = inPlace.loss;
    // the residual at the optimum is the noise we added
    const best = y.reduce((s, yi, i) => s + (theta[0] * X[i][0] + theta[1] * X[i][1] + theta[2] - yi) ** 2, 0) / 12;
    expect(loss).toBeCloseTo(best, 10);
  });
});

/** Gaussian elimination with partial pivoting (small dense systems). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

