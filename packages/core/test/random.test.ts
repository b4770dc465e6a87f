/**
 * Random sampling: reproducible under manualSeed, the right shapes and dtypes, and the right laws.
 * Each statistical check draws N = 20,000 values and requires the sample moment within 5 standard
 * errors of the exact one (a false alarm about once in 1.7 million runs; the seeds are fixed anyway).
 */
import './setup.js';
import { describe, expect, test } from 'vitest';
import {
  Generator, bernoulli, beta, dirichlet, full, gamma, manualSeed, multinomial, noGrad, normal, normal_, randperm, tensor, uniform_, zeros,
} from '../src/index.js';

const N = 20_000;
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
const variance = (xs: ArrayLike<number>) => { const m = mean(xs); return mean(Array.from(xs, (v) => (v - m) ** 2)); };
/** |sample − exact| within 5 standard errors. */
const within5se = (sample: number, exact: number, se: number, what: string) =>
  expect(Math.abs(sample - exact), `${what}: ${sample} vs ${exact} (se ${se})`).toBeLessThan(5 * se);
const column = (flat: ArrayLike<number>, cols: number, j: number) => Array.from({ length: flat.length / cols }, (_, i) => flat[i * cols + j]);

describe('reproducibility', () => {
  const samplers: [string, () => ArrayLike<number>][] = [
    ['bernoulli', () => bernoulli(full([50], 0.5)).data()],
    ['multinomial', () => multinomial(tensor([1, 2, 3, 4]), 3).data()],
    ['multinomial with replacement', () => multinomial(tensor([1, 2, 3, 4]), 9, { replacement: true }).data()],
    ['randperm', () => randperm(20).data()],
    ['gamma', () => gamma(0.5, 2, [20]).data()],
    ['beta', () => beta(2, 3, [20]).data()],
    ['dirichlet', () => dirichlet(tensor([1, 2, 3])).data()],
    ['normal', () => normal(1, 2, [20]).data()],
    ['normal_', () => normal_(zeros([20])).data()],
    ['uniform_', () => uniform_(zeros([20]), -1, 1).data()],
  ];
  test.each(samplers)('%s: the same seed gives the same draws, another seed others', (_, draw) => {
    manualSeed(123);
    const a = Array.from(draw());
    manualSeed(123);
    expect(Array.from(draw())).toEqual(a);
    manualSeed(124);
    expect(Array.from(draw())).not.toEqual(a);
  });

  test('a passed generator is used instead of the default one, and leaves it alone', () => {
    manualSeed(5);
    const fromDefault = gamma(2, 1, [10]).data();
    manualSeed(5);
    const own = new Generator(99);
    const fromOwn = gamma(2, 1, [10], { generator: own }).data();
    expect(Array.from(fromOwn)).toEqual(Array.from(gamma(2, 1, [10], { generator: new Generator(99) }).data()));
    expect(Array.from(gamma(2, 1, [10]).data())).toEqual(Array.from(fromDefault)); // the default stream did not advance
  });
});

describe('shapes, dtypes and backends', () => {
  test('bernoulli keeps the shape and dtype of p', () => {
    const p = full([2, 3], 0.5, { dtype: 'float64' });
    const b = bernoulli(p);
    expect([b.shape, b.dtype, b.backendName]).toEqual([[2, 3], 'float64', 'cpu']);
    expect(Array.from(b.data()).every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(bernoulli(tensor([0, 1, 0, 1])).data())).toEqual([0, 1, 0, 1]); // p of exactly 0 and 1
  });
  test('multinomial gives int32 indices, one row per weight row', () => {
    const m = multinomial(tensor([[1, 1, 1], [0, 0, 1]]), 2, { replacement: true });
    expect([m.shape, m.dtype]).toEqual([[2, 2], 'int32']);
    expect(Array.from(m.data()).slice(2)).toEqual([2, 2]);
    expect(multinomial(tensor([1, 1]), 2).shape).toEqual([2]);
  });
  test('randperm is int32 unless a dtype is given; randperm(0) is empty', () => {
    expect(randperm(5).dtype).toBe('int32');
    expect(randperm(5, { dtype: 'float32' }).dtype).toBe('float32');
    expect(randperm(0).shape).toEqual([0]);
  });
  test('gamma / beta / normal: the shape defaults to the parameters broadcast together; dtype follows them or the option', () => {
    expect(gamma(tensor([[1], [2]]), tensor([1, 2, 3])).shape).toEqual([2, 3]);
    expect(gamma(2, 1, [4], { dtype: 'float64' }).dtype).toBe('float64');
    expect(beta(tensor([1, 2], { dtype: 'float64' }), 3).dtype).toBe('float64');
    expect(normal(tensor([0, 0]), 1).shape).toEqual([2]);
    expect(normal(0, 1, [2, 2]).shape).toEqual([2, 2]);
    expect(dirichlet(full([4, 3], 1)).shape).toEqual([4, 3]);
  });
});

describe('laws (5 standard errors, N = 20,000)', () => {
  test('bernoulli: the frequency of ones is p', () => {
    manualSeed(1);
    const ps = [0.02, 0.5, 0.9];
    const draws = bernoulli(tensor(ps).expand(N, 3).contiguous()).data();
    ps.forEach((p, j) => within5se(mean(column(draws, 3, j)), p, Math.sqrt((p * (1 - p)) / N), `p = ${p}`));
  });

  test.each([[0.3, 2], [1, 1], [4.5, 0.5]])('gamma(α = %f, rate = %f): mean α/rate, variance α/rate²', (a, rate) => {
    manualSeed(2);
    const xs = gamma(a, rate, [N], { dtype: 'float64' }).data();
    const v = a / rate ** 2;
    within5se(mean(xs), a / rate, Math.sqrt(v / N), 'mean');
    // Var(s²) ≈ σ⁴(2 + excess kurtosis)/N, and a gamma's excess kurtosis is 6/α.
    within5se(variance(xs), v, v * Math.sqrt((2 + 6 / a) / N), 'variance');
    expect(Array.from(xs).every((x) => x > 0)).toBe(true);
  });

  test('beta(2, 5): mean a/(a+b) and variance ab/((a+b)²(a+b+1)); tiny parameters stay in [0, 1], not NaN', () => {
    manualSeed(3);
    const [a, b] = [2, 5];
    const xs = beta(a, b, [N], { dtype: 'float64' }).data();
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
    within5se(mean(xs), a / (a + b), Math.sqrt(v / N), 'mean');
    const tiny = Array.from(beta(0.01, 0.01, [1000], { dtype: 'float64' }).data());
    expect(tiny.every((x) => x >= 0 && x <= 1)).toBe(true);
    within5se(mean(tiny), 0.5, Math.sqrt(0.25 / 1000), 'mean of beta(0.01, 0.01)'); // nearly all mass at 0 and 1, symmetric
  });

  test('dirichlet: rows sum to 1, component i has mean α_i/Σα', () => {
    manualSeed(4);
    const alpha = [0.5, 2, 3.5];
    const a0 = alpha.reduce((s, v) => s + v, 0);
    const xs = dirichlet(tensor(alpha, { dtype: 'float64' }).expand(N, 3).contiguous()).data();
    for (let r = 0; r < N; r++) expect(Math.abs(xs[3 * r] + xs[3 * r + 1] + xs[3 * r + 2] - 1)).toBeLessThan(1e-12);
    alpha.forEach((ai, j) => {
      const v = (ai * (a0 - ai)) / (a0 ** 2 * (a0 + 1));
      within5se(mean(column(xs, 3, j)), ai / a0, Math.sqrt(v / N), `component ${j}`);
    });
    const tiny = dirichlet(tensor([1e-3, 1e-3], { dtype: 'float64' })).data();
    expect(Math.abs(tiny[0] + tiny[1] - 1)).toBeLessThan(1e-12); // gammas this small underflow unless normalised in log space
  });

  test('multinomial with replacement: frequencies are the normalised weights; a zero weight is never drawn', () => {
    manualSeed(5);
    const w = [1, 2, 0, 7];
    const draws = multinomial(tensor(w), N, { replacement: true }).data();
    w.forEach((wi, j) => {
      const p = wi / 10;
      const freq = mean(Array.from(draws, (d) => (d === j ? 1 : 0)));
      if (p === 0) expect(freq).toBe(0);
      else within5se(freq, p, Math.sqrt((p * (1 - p)) / N), `category ${j}`);
    });
  });

  test('multinomial without replacement: no repeats, zero weights never drawn, draws in order follow sequential sampling', () => {
    manualSeed(6);
    const w = [1, 2, 0, 7];
    const p = w.map((v) => v / 10);
    const draws = multinomial(tensor(w).expand(N, 4).contiguous(), 3).data();
    for (let r = 0; r < N; r++) expect(new Set([draws[3 * r], draws[3 * r + 1], draws[3 * r + 2]])).toEqual(new Set([0, 1, 3]));
    // First draw ~ p; second draw j with probability Σ_i p_i p_j/(1 − p_i).
    const second = (j: number) => p.reduce((s, pi, i) => (i === j ? s : s + (pi * p[j]) / (1 - pi)), 0);
    for (const j of [0, 1, 3]) {
      const f1 = mean(column(draws, 3, 0).map((d) => (d === j ? 1 : 0)));
      within5se(f1, p[j], Math.sqrt((p[j] * (1 - p[j])) / N), `first draw = ${j}`);
      const q = second(j);
      within5se(mean(column(draws, 3, 1).map((d) => (d === j ? 1 : 0))), q, Math.sqrt((q * (1 - q)) / N), `second draw = ${j}`);
    }
  });

  test('randperm: each draw is a permutation, and every value is equally likely in first place', () => {
    manualSeed(7);
    expect(Array.from(randperm(1000).data()).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const firsts = Array.from({ length: 4000 }, () => randperm(4).data()[0]);
    for (let j = 0; j < 4; j++) within5se(mean(firsts.map((f) => (f === j ? 1 : 0))), 0.25, Math.sqrt(0.1875 / 4000), `first = ${j}`);
  });

  test('normal(mean, std, shape) with numbers, and normal_ / uniform_ in place', () => {
    manualSeed(8);
    const xs = normal(3, 2, [N], { dtype: 'float64' }).data();
    within5se(mean(xs), 3, 2 / Math.sqrt(N), 'normal mean');
    within5se(variance(xs), 4, 4 * Math.sqrt(2 / N), 'normal variance');
    const t = zeros([N], { dtype: 'float64' });
    expect(normal_(t, -1, 0.5)).toBe(t); // in place, returns its target
    within5se(mean(t.data()), -1, 0.5 / Math.sqrt(N), 'normal_ mean');
    uniform_(t, 2, 6);
    const u = Array.from(t.data());
    expect(u.every((v) => v >= 2 && v < 6)).toBe(true);
    within5se(mean(u), 4, Math.sqrt(16 / 12 / N), 'uniform_ mean');
  });
});

describe('gradients', () => {
  test('normal with tensor mean and std is mean + std·z: d/dmean = 1, d/dstd = z', () => {
    manualSeed(9);
    const m = tensor([1, -2, 0.5], { dtype: 'float64', requiresGrad: true });
    const s = tensor([0.5, 2, 1], { dtype: 'float64', requiresGrad: true });
    const y = normal(m, s);
    y.sum().backward();
    expect(Array.from(m.grad!.data())).toEqual([1, 1, 1]);
    const z = Array.from(y.data(), (v, i) => (v - m.data()[i]) / s.data()[i]);
    Array.from(s.grad!.data()).forEach((g, i) => expect(g).toBeCloseTo(z[i], 12));
  });

  test('the other samplers give leaves without gradient; normal_ on a leaf that requires grad works inside noGrad', () => {
    const p = full([3], 0.5).requiresGrad_();
    expect(bernoulli(p).requiresGrad).toBe(false);
    expect(gamma(full([3], 2).requiresGrad_()).requiresGrad).toBe(false);
    const w = zeros([3]).requiresGrad_();
    noGrad(() => normal_(w));
    expect(w.requiresGrad && w.isLeaf).toBe(true);
  });
});
