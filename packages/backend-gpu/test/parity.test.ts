/**
 * Parity with the CPU backend: every op of core's op table on its PyTorch fixture inputs (values
 * and gradients, float32, dense and strided inputs), and a full MLP training step (forward,
 * backward, SGD update), run on 'cpu' and on 'gpu' and compared at float32 tolerance.
 */
import { fromTyped, manualSeed, nn, noGrad, randint, randn, type Tensor } from '@graft/core';
import { caseTolerance, expectAllclose, findSkip, loadOpFixtures, opTable, type OpCase, type Tol } from '@graft/core/testing';
import { describe, expect, test } from 'vitest';
import { describeGpu } from './env.js';

interface Run { out: Tensor; indices?: Tensor; grads: (Tensor | null)[] }

function run(c: OpCase, backend: string, transposed: boolean): Run {
  const row = opTable[c.op];
  const inputs = c.inputs.map((f, i) => {
    const dtype = f.dtype === 'float64' ? 'float32' : f.dtype;
    // strided variant: stored transposed, viewed back (a non-contiguous view of the same values)
    let x = transposed && f.shape.length === 2
      ? fromTyped(transpose(f.data, f.shape), [f.shape[1], f.shape[0]], { dtype, backend }).T
      : fromTyped(f.data, f.shape, { dtype, backend });
    if (c.grads?.[i] && row.differentiable) x = x.requiresGrad_();
    return x;
  });
  const out = row.fn(inputs, c.kwargs);
  const indices = row.indices && c.indices ? row.indices(inputs, c.kwargs) : undefined;
  if (c.cotangent && row.differentiable && out.requiresGrad) out.backward(fromTyped(c.cotangent.data, c.cotangent.shape, { backend }));
  return { out, indices, grads: inputs.map((x) => (x.requiresGrad ? x.grad : null)) };
}

function transpose(data: number[], [r, c]: number[]): number[] {
  const out = new Array<number>(data.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = data[i * c + j];
  return out;
}

const same = (a: Tensor, b: Tensor, tol: Tol, label: string) =>
  expectAllclose(a, { shape: b.shape, data: b.data(), dtype: b.dtype }, a.dtype === 'float32' ? tol : { atol: 0, rtol: 0 }, label);

describeGpu('gpu backend: parity with cpu', () => {
  describe('every op of the op table (float32)', () => {
    for (const c of loadOpFixtures()) {
      const row = opTable[c.op];
      for (const transposed of [false, true]) {
        if (transposed && !c.inputs.some((f) => f.shape.length === 2)) continue;
        const title = `${c.op}: ${c.name}${transposed ? ' (transposed inputs)' : ''}`;
        const skip = findSkip(row, 'forward', 'gpu', 'float32', c.name) ?? (transposed ? findSkip(row, 'noncontiguous', 'gpu', 'float32', c.name) : undefined);
        if (skip) { test.skip(`${title} [skipped: ${skip.reason}]`, () => {}); continue; }
        test(title, () => {
          const tol = caseTolerance(row, c.name, 'float32');
          const [g, k] = [run(c, 'gpu', transposed), run(c, 'cpu', transposed)];
          same(g.out, k.out, tol, 'output');
          if (g.indices && k.indices) same(g.indices, k.indices, tol, 'indices');
          g.grads.forEach((gg, i) => { if (gg && k.grads[i]) same(gg, k.grads[i]!, tol, `gradient of input ${i}`); });
        });
      }
    }
  });

  test('an MLP training step: forward, backward and the SGD update agree', () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(12, 32), new nn.ReLU(), new nn.Linear(32, 16), new nn.Tanh(), new nn.Linear(16, 5));
    const x = randn([24, 12]);
    const y = randint(0, 5, [24]);
    const step = (backend: string) => {
      const params = model.parameters().map((p) => p.detach().to(backend).requiresGrad_());
      const [w1, b1, w2, b2, w3, b3] = params;
      const h = x.to(backend).matmul(w1.T).add(b1).relu().matmul(w2.T).add(b2).tanh();
      const logits = h.matmul(w3.T).add(b3);
      const loss = logits.logSoftmax(1).gather(1, y.to(backend).unsqueeze(1)).mean().neg();
      loss.backward();
      const grads = params.map((p) => p.grad!);
      noGrad(() => params.forEach((p) => p.sub_(p.grad!.mul(0.1))));
      return { loss, grads, params };
    };
    const [g, c] = [step('gpu'), step('cpu')];
    const tol = { atol: 1e-5, rtol: 1e-4 };
    same(g.loss, c.loss, tol, 'loss');
    g.grads.forEach((gr, i) => same(gr, c.grads[i], tol, `gradient of parameter ${i}`));
    g.params.forEach((p, i) => same(p, c.params[i], tol, `updated parameter ${i}`));
    expect(g.loss.backendName).toBe('gpu');
  });
});
