// Cut cross-entropy against the dense cross-entropy it must equal (Wijmans et al. 2025: "CCE ... must equal plain
// CE exactly when filtering is off"): value and both gradients, on blocks that do not divide V, with ignored
// tokens, with a softcap, in float64 and float32, and a second-order check through the blockwise backward.
import { describe, expect, test } from 'vitest';
import { type DType, Generator, grad, randint, randn, type Tensor, tensor } from '@graft/core';
import { expectAllclose } from '@graft/core/testing';
import '../bench-helpers.js';
import { crossEntropy, cutCrossEntropy } from '../../src/index.js';

const setup = (dtype: DType, n = 7, d = 5, v = 23) => {
  const g = new Generator(3);
  const e = randn([n, d], { generator: g, dtype }).mul(1.5).requiresGrad_();
  const c = randn([v, d], { generator: g, dtype }).requiresGrad_();
  const y = randint(0, v, [n], { generator: g });
  return { e, c, y };
};
const dense = (e: Tensor, c: Tensor, y: Tensor, cap: number | null, opts: Record<string, unknown>) => {
  const z = e.matmul(c.transpose(0, 1));
  return crossEntropy(cap === null ? z : z.div(cap).tanh().mul(cap), y, opts);
};

describe('cut-cross-entropy equals dense cross-entropy', () => {
  const cases = [
    ['float64', 4, null, 'mean'], ['float64', 23, null, 'sum'], ['float64', 5, 2.5, 'mean'], ['float64', 1, null, 'none'],
    ['float32', 6, null, 'mean'], ['float32', 6, 3, 'none'],
  ] as const;
  test.each(cases)('%s, blockSize %d, softcap %s, %s', (dtype, blockSize, cap, reduction) => {
    const { e, c, y } = setup(dtype);
    const yi = y.where(tensor([1, 1, 0, 1, 1, 0, 1]).bool(), -100).int(); // two ignored tokens
    const cut = cutCrossEntropy(e, c, yi, { blockSize, logitSoftcap: cap, reduction });
    const ref = dense(e, c, yi, cap, { reduction });
    const tol = dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 1e-5, rtol: 1e-4 };
    expectAllclose(cut, { shape: ref.shape, data: ref.data() }, tol, 'value');
    const w = randn(ref.shape, { dtype, generator: new Generator(5) });
    const gCut = grad(cut.mul(w).sum(), [e, c]);
    const gRef = grad(ref.mul(w).sum(), [e, c]);
    gCut.forEach((gc, i) => expectAllclose(gc!, { shape: gRef[i]!.shape, data: gRef[i]!.data() }, tol, `gradient ${i}`));
  });

  test('second order: the blockwise backward is itself differentiable', () => {
    const { e, c, y } = setup('float64', 4, 3, 9);
    const [ge] = grad(cutCrossEntropy(e, c, y, { blockSize: 4 }), [e], { createGraph: true });
    const [gr] = grad(dense(e, c, y, null, {}), [e], { createGraph: true });
    const [hc] = grad(ge!.square().sum(), [c]);
    const [hr] = grad(gr!.square().sum(), [c]);
    expectAllclose(hc!, { shape: hr!.shape, data: hr!.data() }, { atol: 1e-12, rtol: 1e-10 });
  });

  test('gradient filtering skips only blocks whose softmax entries are all below filterEps', () => {
    const e = tensor([[10, 0], [10, 0]], { dtype: 'float64' }).requiresGrad_();
    const c = tensor([[1, 0], [0.9, 0], [-1, 0], [-1, 0.1]], { dtype: 'float64' }).requiresGrad_();
    const y = tensor([0, 1]).int();
    const [, gFiltered] = grad(cutCrossEntropy(e, c, y, { blockSize: 2, filterEps: 2 ** -12 }), [e, c]);
    const [, gExact] = grad(cutCrossEntropy(e, c, y, { blockSize: 2 }), [e, c]);
    const f = gFiltered!.toArray() as number[][];
    const x = gExact!.toArray() as number[][];
    expect(f.slice(2).flat().every((v) => v === 0)).toBe(true); // softmax there ≈ e^{-20}: skipped
    expect(x[2][0]).not.toBe(0);
    expectAllclose(gFiltered!.narrow(0, 0, 2), { shape: [2, 2], data: gExact!.narrow(0, 0, 2).data() }, { atol: 0, rtol: 0 });
  });
});
