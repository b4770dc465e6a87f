/**
 * Differential fuzzer: replays the random programs of tools/gen_fuzz.py (PyTorch 1.13, float64) with
 * graft on the CPU backend and compares the output, the first-order gradients and, where recorded,
 * the second-order gradients (double backward through grad(…, {createGraph: true})).
 *
 * A program is a chain of ops on a current tensor `y`, starting at input 0; an op's args may name
 * another input ({input: i}, differentiable) or carry an index/mask tensor ({tensor: …}).
 * Regenerate with `/usr/bin/python3 tools/gen_fuzz.py`.
 */
// Core's package cannot depend on @graft/backend-cpu (that package depends on core), so the path is relative.
import '../../backend-cpu/src/index.js';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { Tensor, concat, grad, setBackend, stack } from '../src/index.js';
import { decodeNumber, expectAllclose, fixtureTensor, tolFor, type FixtureTensor, type Tol } from '../src/testing/index.js';

setBackend('cpu');

// ---- the programs ----------------------------------------------------------------------------
interface RawTensor { shape: number[]; dtype: FixtureTensor['dtype']; data: (number | string)[] }
interface Op { op: OpName; args: Record<string, unknown> }
interface Program {
  id: number;
  /** 'big': inputs of ±1e4 fed to the softmax family, softplus, sigmoid or logSigmoid first. */
  kind: 'normal' | 'positive' | 'grid' | 'big';
  inputs: RawTensor[];
  ops: Op[];
  output: RawTensor;
  cotangent: RawTensor;
  grads: RawTensor[];
  /** Second order: d(Σ_i grads_i·v_i)/d(inputs). */
  v?: RawTensor[];
  grads2?: RawTensor[];
}

const decode = (t: RawTensor): FixtureTensor => ({ shape: t.shape, dtype: t.dtype, data: t.data.map((v) => decodeNumber(v) as number) });
const load = (t: RawTensor): Tensor => fixtureTensor(decode(t), 'cpu');

// ---- the interpreter: one line per op, graft's API with the args PyTorch was called with ---------------
/** Resolved args: numbers, dim lists and strings as recorded; {input: i} and {tensor} as Tensors. */
type Args = Record<string, any>;
const OPS = {
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  tanh: (x) => x.tanh(),
  sigmoid: (x) => x.sigmoid(),
  softplus: (x, a) => x.softplus(a.beta),
  logSigmoid: (x) => x.logSigmoid(),
  relu: (x) => x.relu(),
  gelu: (x, a) => x.gelu(a.approximate),
  elu: (x, a) => x.elu(a.alpha),
  silu: (x) => x.silu(),
  abs: (x) => x.abs(),
  sqrt: (x) => x.sqrt(),
  square: (x) => x.square(),
  reciprocal: (x) => x.reciprocal(),
  erf: (x) => x.erf(),
  sin: (x) => x.sin(),
  cos: (x) => x.cos(),
  neg: (x) => x.neg(),
  clamp: (x, a) => x.clamp(a.min, a.max),
  add: (x, a) => x.add(a.other, a.alpha),
  sub: (x, a) => x.sub(a.other, a.alpha),
  mul: (x, a) => x.mul(a.other),
  div: (x, a) => x.div(a.other),
  pow: (x, a) => x.pow(a.other),
  maximum: (x, a) => x.maximum(a.other),
  minimum: (x, a) => x.minimum(a.other),
  where: (x, a) => a.cond.where(x, a.other),
  sum: (x, a) => x.sum(a.dim, a.keepdim),
  mean: (x, a) => x.mean(a.dim, a.keepdim),
  prod: (x, a) => x.prod(a.dim, a.keepdim),
  var: (x, a) => x.var(a.dim, { correction: a.correction, keepdim: a.keepdim }),
  std: (x, a) => x.std(a.dim, { correction: a.correction, keepdim: a.keepdim }),
  amax: (x, a) => x.amax(a.dim, a.keepdim),
  amin: (x, a) => x.amin(a.dim, a.keepdim),
  logsumexp: (x, a) => x.logsumexp(a.dim ?? [...x.shape.keys()], a.keepdim),
  norm: (x, a) => x.norm(a.p, a.dim, a.keepdim),
  max: (x, a) => x.max(a.dim, a.keepdim).values,
  min: (x, a) => x.min(a.dim, a.keepdim).values,
  softmax: (x, a) => x.softmax(a.dim),
  logSoftmax: (x, a) => x.logSoftmax(a.dim),
  cumsum: (x, a) => x.cumsum(a.dim),
  permute: (x, a) => x.permute(a.dims),
  transpose: (x, a) => x.transpose(a.dim0, a.dim1),
  expand: (x, a) => x.expand(a.shape),
  narrow: (x, a) => x.narrow(a.dim, a.start, a.length),
  slice: (x, a) => x.slice(a.dim, a.start, a.end, a.step),
  reshape: (x, a) => x.reshape(a.shape),
  flatten: (x, a) => x.flatten(a.startDim, a.endDim),
  squeeze: (x, a) => x.squeeze(a.dim),
  unsqueeze: (x, a) => x.unsqueeze(a.dim),
  flip: (x, a) => x.flip(a.dims),
  matmul: (x, a) => x.matmul(a.other),
  gather: (x, a) => x.gather(a.dim, a.index),
  indexSelect: (x, a) => x.indexSelect(a.dim, a.index),
  concat: (x, a) => concat([x, a.other ?? x], a.dim),
  stack: (x, a) => stack([x, a.other ?? x], a.dim),
} satisfies Record<string, (x: Tensor, a: Args) => Tensor>;
type OpName = keyof typeof OPS;

function resolveArgs(args: Record<string, unknown>, inputs: readonly Tensor[]): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) {
    if (v !== null && typeof v === 'object' && 'input' in v) out[k] = inputs[(v as { input: number }).input];
    else if (v !== null && typeof v === 'object' && 'tensor' in v) out[k] = load((v as { tensor: RawTensor }).tensor);
    else out[k] = decodeNumber(v);
  }
  return out;
}

const run = (p: Program, inputs: readonly Tensor[]): Tensor =>
  p.ops.reduce((y, { op, args }) => OPS[op](y, resolveArgs(args, inputs)), inputs[0]);

/** d(Σ out·seed)/d(inputs), zeros for unused inputs (PyTorch's allow_unused, then zeros_like). */
function gradsOf(out: Tensor, seed: Tensor, inputs: readonly Tensor[], createGraph: boolean): Tensor[] {
  if (!out.requiresGrad) return inputs.map((x) => x.zerosLike());
  const gs = grad(out.mul(seed).sum(), inputs, { allowUnused: true, createGraph });
  return gs.map((g, i) => g ?? inputs[i].zerosLike());
}

// ---- tolerances ------------------------------------------------------------------------------
const f64 = tolFor('float64');
// ±1e4 inputs: one ulp of 1e4 is 1.8e-12, and a logsumexp shift cancels it to an absolute error of about that size.
const bigTol: Tol = { atol: 1e-8, rtol: 1e-6 };

// ---- one test per program ---------------------------------------------------------------------------
const FILE = new URL('./fuzz/programs.json', import.meta.url);
const programs: Program[] = JSON.parse(readFileSync(FILE, 'utf8')).programs;

describe('differential fuzzer vs PyTorch (float64, tools/gen_fuzz.py)', () => {
  test.each(programs.map((p) => [`#${p.id} ${p.kind}: ${p.ops.map((o) => o.op).join(' → ')}${p.grads2 ? ' (2nd order)' : ''}`, p] as const))('%s', (_, p) => {
    const tol = p.kind === 'big' ? bigTol : f64;
    const inputs = p.inputs.map((t) => load(t).requiresGrad_());
    const out = run(p, inputs);
    expectAllclose(out, decode(p.output), tol, 'output');
    const grads = gradsOf(out, load(p.cotangent), inputs, p.grads2 !== undefined);
    grads.forEach((g, i) => expectAllclose(g, decode(p.grads[i]), tol, `grad of input ${i}`));
    if (!p.grads2 || !p.v) return;
    const v = p.v.map(load);
    const terms = grads.flatMap((g, i) => (g.requiresGrad ? [g.mul(v[i]).sum()] : [])); // constant grads: no 2nd order
    const s = terms.length ? terms.reduce((acc, t) => acc.add(t)) : inputs[0].zerosLike().sum();
    const grads2 = gradsOf(s, s.onesLike(), inputs, false);
    grads2.forEach((g, i) => expectAllclose(g, decode(p.grads2![i]), tol, `2nd-order grad of input ${i}`));
  });
});
