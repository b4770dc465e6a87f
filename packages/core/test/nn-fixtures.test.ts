/**
 * Every nn layer against PyTorch (fixtures/nn.json from tools/gen_nn_fixtures.py): the layer is
 * built with graft's constructor, loaded with torch's state dict under torch's key names, run on
 * the recorded inputs, and compared on outputs, input and parameter gradients, and the state after
 * the forward (BatchNorm's running statistics). Then a float64 gradcheck of each layer with respect
 * to its float inputs and all its parameters (through functionalCall).
 */
import './setup.js';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type DType, type Tensor, concat, fromTyped, gradcheck, grad, nn, noGrad } from '../src/index.js';

interface Enc { shape: number[]; dtype: DType; data: (number | string)[] }
type Input = Enc | Enc[];
interface Spec { layer: string; args: unknown[]; factory: boolean }
interface NnCase extends Spec {
  name: string;
  mode: 'train' | 'eval';
  inputs: Input[];
  call: Record<string, Enc | boolean>;
  warmup: Input[][];
  state: Record<string, Enc>;
  outputs: Enc[];
  cotangents: Enc[];
  inputGrads: Enc[];
  paramGrads: Record<string, Enc>;
  stateAfter: Record<string, Enc>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/nn.json', import.meta.url), 'utf8')) as { cases: NnCase[] };
const num = (v: number | string): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));
const decode = (e: Enc, requiresGrad = false): Tensor => fromTyped(e.data.map(num), e.shape, { dtype: e.dtype, requiresGrad: requiresGrad && e.dtype === 'float64' });
const isEnc = (v: unknown): v is Enc => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
const decodeInput = (x: Input, requiresGrad = false): Tensor | Tensor[] => (Array.isArray(x) ? x.map((e) => decode(e, requiresGrad)) : decode(x, requiresGrad));

/** graft's constructor called with the fixture's arguments (float64 parameters where the layer has any). */
function build(spec: Spec): nn.AnyModule {
  const Layer = (nn as unknown as Record<string, new (...args: unknown[]) => nn.AnyModule>)[spec.layer];
  if (spec.layer === 'Sequential') return new nn.Sequential(...(spec.args as Spec[]).map(build));
  const args = [...spec.args];
  if (spec.factory) args[args.length - 1] = { ...(args[args.length - 1] as object), dtype: 'float64' };
  return new Layer(...args);
}

/** The call's arguments: inputs, then the keyword options (tensors decoded) as one options object. */
function callArgs(c: NnCase, inputs: (Tensor | Tensor[])[]): unknown[] {
  const entries = Object.entries(c.call);
  if (entries.length === 0) return inputs;
  return [...inputs, Object.fromEntries(entries.map(([k, v]) => [k, isEnc(v) ? decode(v) : v]))];
}

/** The tensors of a (nested) output, in order, null entries dropped (as the generator's flat()). */
const flat = (out: unknown): Tensor[] => (out === null ? [] : Array.isArray(out) ? out.flatMap(flat) : [out as Tensor]);

function expectClose(actual: Tensor, expected: Enc, label: string, tol = 1e-9): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const a = actual.data();
  const e = expected.data.map(num);
  let worst = 0;
  let at = -1;
  e.forEach((ev, i) => {
    const excess = Math.abs(a[i] - ev) - tol * (1 + Math.abs(ev));
    if (Number.isNaN(excess) ? !(Number.isNaN(a[i]) && Number.isNaN(ev)) : excess > worst) { worst = Number.isNaN(excess) ? Infinity : excess; at = i; }
  });
  expect(at, `${label}: element ${at} is ${a[at]}, PyTorch has ${e[at]}`).toBe(-1);
}

function prepared(c: NnCase): nn.AnyModule {
  const m = build(c);
  m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
  m.train(c.mode === 'train');
  noGrad(() => { for (const w of c.warmup) m(...w.map((x) => decodeInput(x))); });
  return m;
}

describe('nn layers match PyTorch', () => {
  test.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const m = prepared(c);
    const inputs = c.inputs.map((x) => decodeInput(x, true));
    const outputs = flat(m(...callArgs(c, inputs)));
    expect(outputs.length).toBe(c.outputs.length);
    outputs.forEach((o, i) => expectClose(o, c.outputs[i], `output ${i}`));

    const leaves = inputs.flatMap((x) => (Array.isArray(x) ? x : [x])).filter((t) => t.requiresGrad);
    const params = m.namedParameters();
    expect(params.map(([n]) => n)).toEqual(Object.keys(c.paramGrads));
    const differentiable = outputs.map((o, i) => [o, i] as const).filter(([o]) => o.requiresGrad);
    if (differentiable.length > 0) {
      const total = differentiable.map(([o, i]) => o.mul(decode(c.cotangents[i])).sum()).reduce((a, b) => a.add(b));
      const grads = grad(total, [...leaves, ...params.map(([, p]) => p)], { allowUnused: true });
      leaves.forEach((_, i) => expectClose(grads[i] ?? leaves[i].zerosLike(), c.inputGrads[i], `input grad ${i}`));
      params.forEach(([n, p], i) => expectClose(grads[leaves.length + i] ?? p.zerosLike(), c.paramGrads[n], `grad of ${n}`));
    }
    const after = m.stateDict();
    expect(Object.keys(after)).toEqual(Object.keys(c.stateAfter));
    for (const [k, v] of Object.entries(c.stateAfter)) expectClose(after[k], v, `state ${k} after forward`);
  });
});

/** Cases whose gradient deliberately differs from finite differences, with the reason. */
const noGradcheck: Record<string, string> = {
  'Embedding with paddingIdx': "the padding row gets no gradient by design (PyTorch's too); the plain Embedding case is checked",
};

describe('nn layers pass gradcheck in float64 (inputs and parameters)', () => {
  test.each(fixture.cases.filter((c) => !(c.name in noGradcheck)).map((c) => [c.name, c] as const))('%s', (_, c) => {
    const m = prepared(c);
    const structure = c.inputs.map((x) => decodeInput(x, true));
    const leaves = structure.flatMap((x) => (Array.isArray(x) ? x : [x])).filter((t) => t.requiresGrad);
    const params = m.namedParameters();
    const fn = (...xs: Tensor[]): Tensor => {
      let k = 0;
      const rebuilt = structure.map((x) => (Array.isArray(x) ? x.map(() => xs[k++]) : x.requiresGrad ? xs[k++] : x));
      const swapped = Object.fromEntries(params.map(([n], i) => [n, xs[leaves.length + i]]));
      const outs = flat(nn.functionalCall(m, swapped, ...callArgs(c, rebuilt))).filter((o) => o.dtype === 'float64');
      return concat(outs.map((o) => o.reshape([-1])));
    };
    const r = gradcheck(fn, [...leaves, ...params.map(([, p]) => p.detach().requiresGrad_())]);
    expect(r.ok, r.message).toBe(true);
  });
});
