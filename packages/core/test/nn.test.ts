/**
 * nn.Module's contract (PyTorch's): callable modules; members found in fields, arrays, plain
 * objects, ModuleList and ModuleDict; train/eval; stateDict/loadStateDict and their errors; to()
 * in place; printing; then train/eval behaviour of Dropout and BatchNorm, the initialisers, and
 * layer argument errors. Layer values and gradients against PyTorch are in nn-fixtures.test.ts.
 */
import './setup.js';
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  ArgumentError, Generator, ShapeError, type Tensor, createReferenceBackend, hasBackend, manualSeed, nn, noGrad, randn, registerBackend, tensor, zeros,
} from '../src/index.js';

const f64 = { dtype: 'float64' as const };
const vals = (t: Tensor): number[] => Array.from(t.data());

class Block extends nn.Module<(x: Tensor) => Tensor> {
  readonly fc = new nn.Linear(3, 3, f64);
  readonly scale = nn.Parameter.of(tensor([2], f64));
  readonly stats = nn.Buffer.of(zeros([3], f64));
  readonly scratch = nn.Buffer.of(zeros([1], f64), { persistent: false });
  readonly notAMember = tensor([1, 2, 3]);
  forward(x: Tensor): Tensor { return this.fc(x).mul(this.scale); }
}

class Net extends nn.Module<(x: Tensor) => Tensor> {
  readonly heads = { left: new nn.Linear(3, 2, f64), right: [new nn.Linear(3, 1, f64)] };
  readonly blocks = new nn.ModuleList([new Block(), new Block()]);
  readonly named = new nn.ModuleDict({ zeta: new nn.Tanh(), alpha: new nn.Linear(2, 2, f64) });
  forward(x: Tensor): Tensor {
    let h = x;
    for (const b of this.blocks) h = b(h);
    return this.named.get('alpha')(this.heads.left(h));
  }
}

describe('Module', () => {
  test('a module is callable and typed: model(x) is model.forward(x)', () => {
    const lin = new nn.Linear(2, 3, f64);
    const x = randn([4, 2], f64);
    const y: Tensor = lin(x);
    expect(vals(y)).toEqual(vals(lin.forward(x)));
    expect(vals(lin.call(x))).toEqual(vals(y));
    expect(lin).toBeInstanceOf(nn.Linear);
    expect(lin).toBeInstanceOf(nn.Module);
    expect(typeof lin).toBe('function');
  });

  test('parameters and buffers are found in fields, plain objects, arrays, ModuleList and ModuleDict, in PyTorch order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'heads.left.weight', 'heads.left.bias', 'heads.right.0.weight', 'heads.right.0.bias',
      'blocks.0.scale', 'blocks.0.fc.weight', 'blocks.0.fc.bias', 'blocks.1.scale', 'blocks.1.fc.weight', 'blocks.1.fc.bias',
      'named.alpha.weight', 'named.alpha.bias',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['blocks.0.stats', 'blocks.0.scratch', 'blocks.1.stats', 'blocks.1.scratch']);
    // A module's own tensors come before its children's (PyTorch's named_parameters order); the dict keeps insertion order.
    expect(net.blocks.at(0).namedParameters().map(([n]) => n)).toEqual(['scale', 'fc.weight', 'fc.bias']);
    expect(net.named.keys()).toEqual(['zeta', 'alpha']);
    expect(net.numParameters()).toBe(3 * 2 + 2 + 3 + 1 + 2 * (1 + 9 + 3) + 4 + 2);
    expect(net.namedModules().map(([n]) => n)).toEqual([
      '', 'heads.left', 'heads.right.0', 'blocks', 'blocks.0', 'blocks.0.fc', 'blocks.1', 'blocks.1.fc', 'named', 'named.zeta', 'named.alpha',
    ]);
    // Backward reaches every parameter used.
    net(randn([2, 3], f64)).sum().backward();
    expect(net.blocks.at(1).scale.grad).not.toBeNull();
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  test('a tensor shared by two layers is one parameter (tied weights), listed once', () => {
    const a = new nn.Linear(2, 2, f64);
    const b = new nn.Linear(2, 2, f64);
    (b as { weight: Tensor }).weight = a.weight;
    const seq = new nn.Sequential(a, b);
    expect(seq.parameters().length).toBe(3);
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  test('train() and eval() reach every descendant', () => {
    const net = new Net();
    expect(net.training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.blocks.at(1).fc.training).toBe(true);
  });

  test('stateDict: parameters and persistent buffers by dotted name, detached; loadStateDict copies in place', () => {
    const src = new Net();
    const dst = new Net();
    const sd = src.stateDict();
    expect(Object.keys(sd)).toContain('blocks.0.stats');
    expect(Object.keys(sd)).not.toContain('blocks.0.scratch');
    expect(Object.values(sd).every((t) => !t.requiresGrad)).toBe(true);
    const weight = dst.heads.left.weight;
    const result = dst.loadStateDict(sd);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(dst.heads.left.weight).toBe(weight); // same object: optimizers keep working
    expect(weight.requiresGrad).toBe(true);
    expect(vals(weight)).toEqual(vals(src.heads.left.weight));
    const x = randn([2, 3], f64);
    expect(vals(dst(x))).toEqual(vals(src(x)));
    // The snapshot keeps its values when the model later changes in place.
    const before = vals(sd['heads.left.bias']);
    noGrad(() => src.heads.left.bias!.add_(1));
    expect(vals(sd['heads.left.bias'])).toEqual(before);
  });

  test('loadStateDict names every missing, unexpected and mis-shaped key and changes nothing', () => {
    const lin = new nn.Linear(3, 2, f64);
    const before = vals(lin.weight);
    const bad = { weight: randn([3, 2], f64), extra: randn([1], f64) };
    expect(() => lin.loadStateDict(bad)).toThrow(ArgumentError);
    try { lin.loadStateDict(bad); } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/Error\(s\) in loading state_dict for Linear/);
      expect(msg).toMatch(/Unexpected key\(s\) in state_dict: "extra"/);
      expect(msg).toMatch(/Missing key\(s\) in state_dict: "bias"/);
      expect(msg).toMatch(/size mismatch for weight: copying a param with shape \[3, 2\] from checkpoint, the shape in current model is \[2, 3\]/);
    }
    expect(vals(lin.weight)).toEqual(before);
    // Non-strict: missing and unexpected keys are reported, not thrown; shapes are still checked.
    const w = randn([2, 3], f64);
    expect(lin.loadStateDict({ weight: w, extra: w }, { strict: false })).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    expect(vals(lin.weight)).toEqual(vals(w));
    expect(() => lin.loadStateDict({ weight: randn([3, 3]) }, { strict: false })).toThrow(/size mismatch for weight/);
    // Values are cast to the parameter's dtype; a Map works too.
    lin.loadStateDict(new Map([['weight', tensor([[1, 2, 3], [4, 5, 6]])], ['bias', tensor([0, 1])]]));
    expect(lin.weight.dtype).toBe('float64');
    expect(vals(lin.weight)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('to(backend) moves parameters, buffers and gradients in place', () => {
    if (!hasBackend('cpu-2')) registerBackend('cpu-2', createReferenceBackend);
    const bn = new nn.Sequential(new nn.Linear(3, 2, f64), new nn.BatchNorm1d(2, f64));
    const params = bn.parameters();
    const x = randn([4, 3], f64);
    const expected = vals(bn(x));
    bn(x).sum().backward();
    const g = vals(params[0].grad!);
    expect(bn.to('cpu-2')).toBe(bn);
    expect(bn.parameters()).toEqual(params);
    expect(bn.parameters().every((p, i) => p === params[i] && p.backendName === 'cpu-2' && p.requiresGrad)).toBe(true);
    expect(bn.buffers().every((b) => b.backendName === 'cpu-2')).toBe(true);
    expect(params[0].grad!.backendName).toBe('cpu-2');
    expect(vals(params[0].grad!)).toEqual(g);
    bn.to('cpu');
    expect(vals(bn(x))).not.toEqual([]); // still runs after the round trip
    expect(params[0].backendName).toBe('cpu');
    expect(vals(bn.eval()(x)).length).toBe(expected.length);
  });

  test('toString prints the tree as PyTorch does, and console.log uses it', () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.Sequential(new nn.Flatten(), new nn.Linear(16, 2, { bias: false })));
    const expected = [
      'Sequential(',
      '  (0): Conv2d(inChannels=1, outChannels=4, kernelSize=(3, 3), stride=(1, 1), padding=(1, 1), bias=true)',
      '  (1): ReLU()',
      '  (2): Sequential(',
      '    (0): Flatten(startDim=1, endDim=-1)',
      '    (1): Linear(inFeatures=16, outFeatures=2, bias=false)',
      '  )',
      ')',
    ].join('\n');
    expect(String(model)).toBe(expected);
    expect(inspect(model)).toBe(expected);
    expect(String(new Net())).toMatch(/^Net\(\n {2}\(heads\.left\): Linear/);
  });

  test('functionalCall runs with stand-in tensors and restores the originals', () => {
    const lin = new nn.Linear(2, 1, f64);
    const w = lin.weight;
    const y = nn.functionalCall(lin, { weight: tensor([[1, 1]], f64), bias: tensor([0], f64) }, tensor([[2, 3]], f64));
    expect(vals(y)).toEqual([5]);
    expect(lin.weight).toBe(w);
    expect(() => nn.functionalCall(lin, { wieght: w }, tensor([[2, 3]], f64))).toThrow(/no parameter or buffer named 'wieght'/);
  });

  test('requiresGrad_(false) freezes parameters; they stay parameters', () => {
    const lin = new nn.Linear(2, 2).requiresGrad_(false);
    expect(lin.parameters().length).toBe(2);
    expect(lin.numParameters({ trainableOnly: true })).toBe(0);
  });

  test('containers: Sequential indexing and iteration, ModuleList/ModuleDict errors', () => {
    const seq = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
    expect(seq.length).toBe(2);
    expect(seq.at(-1)).toBeInstanceOf(nn.Tanh);
    expect([...seq].length).toBe(2);
    expect(() => seq.at(2)).toThrow(/index 2 is out of range for 2 modules/);
    expect(() => new nn.Sequential({} as nn.AnyModule)).toThrow(/entry 0 is not a Module/);
    expect(() => new nn.ModuleDict().get('x')).toThrow(/no module named 'x'/);
    expect(() => new nn.ModuleDict({ 'a.b': new nn.ReLU() })).toThrow(/contain no '\.'/);
  });
});

describe('Dropout', () => {
  test('training: zeros with probability p, scales the rest by 1/(1−p); the gradient uses the same mask', () => {
    manualSeed(3);
    const drop = new nn.Dropout(0.25);
    const x = randn([4000], { ...f64, requiresGrad: true });
    const y = drop(x);
    const xv = vals(x), yv = vals(y);
    let zeros = 0;
    yv.forEach((v, i) => { if (v === 0) zeros++; else expect(v).toBeCloseTo(xv[i] / 0.75, 12); });
    expect(zeros / 4000).toBeGreaterThan(0.22);
    expect(zeros / 4000).toBeLessThan(0.28);
    y.sum().backward();
    vals(x.grad!).forEach((g, i) => expect(g).toBeCloseTo(yv[i] === 0 ? 0 : 1 / 0.75, 12));
  });

  test('seeded: the same seed or generator gives the same mask', () => {
    const x = randn([50], f64);
    manualSeed(7);
    const a = vals(new nn.Dropout(0.5)(x));
    manualSeed(7);
    expect(vals(new nn.Dropout(0.5)(x))).toEqual(a);
    const b = vals(new nn.Dropout(0.5, { generator: new Generator(1) })(x));
    expect(vals(new nn.Dropout(0.5, { generator: new Generator(1) })(x))).toEqual(b);
  });

  test('eval mode (and p = 0) passes the input through; p = 1 zeroes it; p outside [0, 1] throws', () => {
    const x = randn([10], f64);
    expect(new nn.Dropout(0.9).eval()(x)).toBe(x);
    expect(new nn.Dropout(0)(x)).toBe(x);
    expect(vals(new nn.Dropout(1)(x)).every((v) => v === 0)).toBe(true);
    expect(() => new nn.Dropout(1.5)).toThrow(ArgumentError);
  });
});

describe('BatchNorm', () => {
  test('training updates running statistics (momentum, unbiased variance, batch count); eval uses them', () => {
    const bn = new nn.BatchNorm1d(2, { ...f64, momentum: 0.5 });
    const x = tensor([[1, 10], [3, 20], [5, 60]], f64);
    const y = bn(x);
    // Normalised with the batch's biased variance: column 0 has mean 3, variance 8/3.
    const s = Math.sqrt(8 / 3 + 1e-5);
    vals(y).filter((_, i) => i % 2 === 0).forEach((v, i) => expect(v).toBeCloseTo([-2 / s, 0, 2 / s][i], 12));
    expect(vals(bn.running_mean!)).toEqual([1.5, 15]);
    expect(vals(bn.running_var!)).toEqual([0.5 + 0.5 * 4, 0.5 + 0.5 * 700]);
    expect(bn.num_batches_tracked!.item()).toBe(1);
    bn.eval();
    const z = bn(tensor([[1.5, 15]], f64));
    expect(vals(z).map((v) => Math.abs(v) < 1e-12)).toEqual([true, true]);
    expect(bn.num_batches_tracked!.item()).toBe(1); // eval does not count
  });

  test('running statistics are state-dict buffers, not parameters, and carry no gradient', () => {
    const bn = new nn.BatchNorm2d(3);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    bn(randn([2, 3, 2, 2], { requiresGrad: true })).sum().backward();
    expect(bn.running_mean!.requiresGrad).toBe(false);
  });

  test('one value per channel cannot be normalised in training; wrong shapes are named', () => {
    expect(() => new nn.BatchNorm1d(2)(randn([1, 2]))).toThrow(/more than 1 value per channel/);
    expect(vals(new nn.BatchNorm1d(2).eval()(randn([1, 2]))).length).toBe(2);
    expect(() => new nn.BatchNorm2d(2)(randn([2, 3, 4, 4]))).toThrow(ShapeError);
  });
});

describe('init', () => {
  test('calculateGain as PyTorch', () => {
    expect(nn.init.calculateGain('relu')).toBe(Math.SQRT2);
    expect(nn.init.calculateGain('tanh')).toBe(5 / 3);
    expect(nn.init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(nn.init.calculateGain('conv2d')).toBe(1);
  });

  test('uniform initialisers stay within their bounds and fill them', () => {
    const w = zeros([64, 32, 3], f64);
    const fanIn = 32 * 3, fanOut = 64 * 3;
    const check = (bound: number) => {
      const v = vals(w);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    };
    nn.init.xavierUniform_(w, { gain: 2 });
    check(2 * Math.sqrt(6 / (fanIn + fanOut)));
    nn.init.kaimingUniform_(w, { mode: 'fanOut', nonlinearity: 'relu' });
    check(Math.sqrt(3) * Math.SQRT2 / Math.sqrt(fanOut));
    nn.init.kaimingUniform_(w, { a: Math.sqrt(5) }); // PyTorch's default for Linear and Conv: U(±1/√fanIn)
    check(1 / Math.sqrt(fanIn));
  });

  test('normal initialisers have the stated standard deviation', () => {
    const w = zeros([200, 100], f64);
    const std = (t: Tensor) => Math.sqrt(vals(t).reduce((s, v) => s + v * v, 0) / t.size);
    nn.init.xavierNormal_(w);
    expect(std(w) / Math.sqrt(2 / 300)).toBeCloseTo(1, 1);
    nn.init.kaimingNormal_(w, { nonlinearity: 'relu' });
    expect(std(w) / Math.sqrt(2 / 100)).toBeCloseTo(1, 1);
  });

  test('orthogonal_ gives orthonormal rows or columns, times the gain', () => {
    for (const shape of [[4, 6], [6, 4], [3, 2, 2]]) {
      const w = nn.init.orthogonal_(zeros(shape, f64), { gain: 2 });
      const m = w.reshape([shape[0], -1]);
      const gram = shape[0] <= m.shape[1] ? m.matmul(m.T) : m.T.matmul(m);
      const n = gram.shape[0];
      vals(gram).forEach((v, i) => expect(v).toBeCloseTo(Math.floor(i / n) === i % n ? 4 : 0, 10));
    }
  });

  test('initialisers re-initialise parameters in place, seeded', () => {
    const lin = new nn.Linear(3, 3);
    const w = lin.weight;
    nn.init.zeros_(lin.weight);
    expect(vals(w).every((v) => v === 0)).toBe(true);
    expect(w.requiresGrad).toBe(true);
    nn.init.normal_(w, 0, 1, { generator: new Generator(5) });
    const a = vals(w);
    nn.init.normal_(w, 0, 1, { generator: new Generator(5) });
    expect(vals(w)).toEqual(a);
    expect(() => nn.init.xavierUniform_(zeros([3]))).toThrow(/at least 2 dims/);
  });

  test('layers get PyTorch’s default init: Linear and Conv U(±1/√fanIn), norms ones and zeros, Embedding N(0, 1) with a zero padding row', () => {
    const conv = new nn.Conv2d(4, 6, 3, { groups: 2 });
    const bound = 1 / Math.sqrt(2 * 9);
    expect(Math.max(...vals(conv.weight).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...vals(conv.bias!).map(Math.abs))).toBeLessThanOrEqual(bound);
    const ln = new nn.LayerNorm(3);
    expect([vals(ln.weight!), vals(ln.bias!)]).toEqual([[1, 1, 1], [0, 0, 0]]);
    const emb = new nn.Embedding(4, 3, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(3);
    expect(vals(emb.weight).slice(9)).toEqual([0, 0, 0]);
    const mha = new nn.MultiheadAttention(4, 2);
    expect(vals(mha.in_proj_bias!).every((v) => v === 0)).toBe(true);
  });
});

describe('layer arguments', () => {
  test('bad sizes and options are named', () => {
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/must both be divisible by groups/);
    expect(() => new nn.Conv2d(2, 2, 3, { stride: 2, padding: 'same' })(randn([1, 2, 5, 5]))).toThrow(/'same' is not supported for strided/);
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })(randn([1, 2, 3, 3]))).toThrow(/outputPadding/);
    expect(() => new nn.MultiheadAttention(6, 4)).toThrow(/divisible by numHeads/);
    expect(() => new nn.GroupNorm(3, 4)).toThrow(/divisible by numGroups/);
    expect(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow(/paddingIdx/);
    expect(() => new nn.Embedding(3, 2)(tensor([0.5]))).toThrow(/int32 indices/);
    expect(() => new nn.LSTM(3, 4)(randn([2, 5, 2]))).toThrow(/expected input \[L, N, 3\]/);
    expect(() => new nn.Linear(0, 2)).toThrow(/inFeatures must be a positive integer/);
  });

  test('Conv1d and Conv2d shapes: padding, stride, dilation, groups, unbatched', () => {
    expect(new nn.Conv1d(4, 8, 3, { stride: 2, groups: 4 })(randn([2, 4, 11])).shape).toEqual([2, 8, 5]);
    expect(new nn.Conv2d(3, 5, [3, 1], { padding: 'same', dilation: 2 })(randn([3, 7, 6])).shape).toEqual([5, 7, 6]);
    expect(new nn.ConvTranspose2d(3, 2, 4, { stride: 2, padding: 1 })(randn([1, 3, 5, 5])).shape).toEqual([1, 2, 10, 10]);
  });
});
