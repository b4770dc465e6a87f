/**
 * Random sampling beyond rand/randn/randint: bernoulli, multinomial, randperm, gamma, beta,
 * dirichlet, normal, and the in-place normal_/uniform_. Every draw comes from the seeded Generator
 * (`opts.generator`, else the default one that `manualSeed` seeds), is made on the host in float64
 * and uploaded to the target backend, as rand does. None is differentiable except `normal` with
 * tensor mean or std, which is mean + std·z and so reparameterised (PyTorch's rsample).
 */
import { defaultBackendName } from './backend/registry.js';
import { fromTyped, randn, type RandomOptions } from './creation.js';
import { type DType, isFloat } from './dtype.js';
import { ArgumentError, DtypeError, ShapeError, fmtShape } from './errors.js';
import { expectScalar, expectTensor } from './ops/dispatch.js';
import { defaultGenerator, type Generator } from './random.js';
import { broadcastShapes, checkAllocation, numel, type ShapeArg, shapeOf, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

type Param = number | Tensor;
const generatorOf = (opts: { generator?: Generator }): Generator => opts.generator ?? defaultGenerator;

/** Host values of a float tensor, for ops that validate or draw from them. */
function floatValues(op: string, t: unknown, argName: string): Float64Array {
  expectTensor(op, t, argName);
  if (!isFloat(t.dtype)) throw new DtypeError(op, `expected ${argName} to be a float tensor, got ${t.dtype}`);
  return Float64Array.from(t.data());
}

/** The output shape, dtype and backend of a draw whose parameters are numbers or tensors (which broadcast). */
function layoutOf(op: string, params: Param[], shape: ShapeArg | undefined, opts: RandomOptions): { shape: number[]; dtype: DType; backend: string } {
  params.forEach((p, i) => { if (!(p instanceof Tensor)) expectScalar(op, p, `parameter ${i + 1}`); });
  const tensors = params.filter((p): p is Tensor => p instanceof Tensor);
  const joint = broadcastShapes(op, ...tensors.map((t) => t.shape));
  const out = shape === undefined ? joint : shapeOf(shape);
  checkAllocation(op, out);
  if (!shapesEqual(broadcastShapes(op, out, joint), out)) {
    throw new ShapeError(op, `parameters of shapes ${tensors.map((t) => fmtShape(t.shape)).join(', ')} do not broadcast to the shape ${fmtShape(out)}`);
  }
  const dtype = opts.dtype ?? tensors.find((t) => isFloat(t.dtype))?.dtype ?? 'float32';
  if (!isFloat(dtype)) throw new DtypeError(op, `samples are real numbers: expected a float dtype, got ${dtype}`);
  return { shape: out, dtype, backend: opts.backend ?? tensors[0]?.backendName ?? defaultBackendName() };
}

/** Each parameter's values broadcast to `shape`, on the host, after a range check. */
function paramValues(op: string, name: string, p: Param, shape: number[], ok: (v: number) => boolean, expected: string): Float64Array {
  const values = p instanceof Tensor ? Float64Array.from(p.expand(shape).data()) : new Float64Array(numel(shape)).fill(p);
  const bad = values.find((v) => !ok(v));
  if (bad !== undefined) throw new ArgumentError(op, `${name} must be ${expected}, got ${bad}`);
  return values;
}

const positive = (v: number): boolean => v > 0 && Number.isFinite(v);
/** Uploads host draws laid out by layoutOf, with requiresGrad as asked (as rand does). */
const upload = (values: Float64Array, layout: { shape: number[]; dtype: DType; backend: string }, opts: RandomOptions): Tensor =>
  fromTyped(values, layout.shape, { dtype: layout.dtype, backend: layout.backend, requiresGrad: opts.requiresGrad });

/** 0/1 draws with P(1) = p elementwise; the result has p's shape, dtype and backend (torch.bernoulli). */
export function bernoulli(p: Tensor, opts: { generator?: Generator } = {}): Tensor {
  const probs = floatValues('bernoulli', p, 'p');
  const bad = probs.find((v) => !(v >= 0 && v <= 1));
  if (bad !== undefined) throw new ArgumentError('bernoulli', `probabilities must lie in [0, 1], got ${bad}`);
  const g = generatorOf(opts);
  return fromTyped(probs.map((v) => (g.uniform() < v ? 1 : 0)), p.shape, { dtype: p.dtype, backend: p.backendName });
}

export interface MultinomialOptions {
  /** Draw with replacement (default false: no index repeats within a row). */
  replacement?: boolean;
  generator?: Generator;
}

/**
 * `numSamples` int32 category indices per row of non-negative weights (1-d: one row), not
 * necessarily normalised (torch.multinomial). Without replacement each row's draws are distinct, by
 * the exponential-keys method PyTorch uses (the k largest w/E, E ~ Exp(1)); asking for more samples
 * than a row has non-zero weights is an error (PyTorch 1.13 then returns zero-weight indices).
 */
export function multinomial(probs: Tensor, numSamples: number, opts: MultinomialOptions = {}): Tensor {
  const w = floatValues('multinomial', probs, 'probs');
  if (probs.ndim !== 1 && probs.ndim !== 2) throw new ShapeError('multinomial', `expected 1-d or 2-d weights, got shape ${fmtShape(probs.shape)}`);
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new ArgumentError('multinomial', `numSamples must be a positive integer, got ${numSamples}`);
  const bad = w.find((v) => !(v >= 0 && v < Infinity));
  if (bad !== undefined) throw new ArgumentError('multinomial', `weights must be finite and non-negative, got ${bad}`);
  const n = probs.shape[probs.ndim - 1];
  const rows = probs.ndim === 1 ? 1 : probs.shape[0];
  const g = generatorOf(opts);
  const out = new Int32Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    const row = w.subarray(r * n, (r + 1) * n);
    const nonZero = row.reduce((c, v) => c + (v > 0 ? 1 : 0), 0);
    if (nonZero === 0) throw new ArgumentError('multinomial', `row ${r} has no positive weight (expected a positive sum)`);
    if (!opts.replacement && numSamples > nonZero) {
      throw new ArgumentError('multinomial', `cannot draw ${numSamples} samples without replacement from row ${r} with ${nonZero} non-zero weights (expected numSamples <= ${nonZero})`);
    }
    const picks = opts.replacement ? withReplacement(row, numSamples, g) : withoutReplacement(row, numSamples, g);
    out.set(picks, r * numSamples);
  }
  return fromTyped(out, probs.ndim === 1 ? [numSamples] : [rows, numSamples], { dtype: 'int32', backend: probs.backendName });
}

/** Inverse-CDF draws: a binary search of u·total in the running sums. */
function withReplacement(w: Float64Array, k: number, g: Generator): number[] {
  const cdf = new Float64Array(w.length);
  let total = 0;
  for (let i = 0; i < w.length; i++) cdf[i] = total += w[i];
  return Array.from({ length: k }, () => {
    const u = g.uniform() * total;
    let [lo, hi] = [0, w.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid; else lo = mid + 1;
    }
    while (w[lo] === 0) lo--; // u·total can round up to total: step back to the last positive weight
    return lo;
  });
}

/** The k largest keys w/E (E ~ Exp(1)): the same law as drawing one at a time and removing it. */
function withoutReplacement(w: Float64Array, k: number, g: Generator): number[] {
  // A zero weight is never drawn (its key would be 0/0 when E is 0).
  const keys = Array.from(w, (v) => { const e = -Math.log(1 - g.uniform()); return v > 0 ? v / e : -Infinity; });
  return [...keys.keys()].sort((a, b) => keys[b] - keys[a]).slice(0, k);
}

/** A random permutation of 0..n−1 (Fisher–Yates), int32 unless a dtype is given (torch.randperm). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError('randperm', `n must be a non-negative integer, got ${n}`);
  checkAllocation('randperm', [n]);
  const g = generatorOf(opts);
  const perm = Float64Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return fromTyped(perm, [n], { dtype: 'int32', ...opts });
}

/** Gamma(concentration, rate) draws, mean α/rate and variance α/rate²; the shape defaults to the parameters' broadcast shape. */
export function gamma(concentration: Param, rate: Param = 1, shape?: ShapeArg, opts: RandomOptions = {}): Tensor {
  const layout = layoutOf('gamma', [concentration, rate], shape, opts);
  const a = paramValues('gamma', 'concentration', concentration, layout.shape, positive, 'positive and finite');
  const r = paramValues('gamma', 'rate', rate, layout.shape, positive, 'positive and finite');
  const g = generatorOf(opts);
  return upload(a.map((ai, i) => Math.exp(g.logGamma(ai)) / r[i]), layout, opts);
}

/** Beta(alpha, beta) draws in [0, 1], as X/(X+Y) of two gammas, computed from their logs so tiny α, β stay exact. */
export function beta(alpha: Param, betaParam: Param, shape?: ShapeArg, opts: RandomOptions = {}): Tensor {
  const layout = layoutOf('beta', [alpha, betaParam], shape, opts);
  const a = paramValues('beta', 'alpha', alpha, layout.shape, positive, 'positive and finite');
  const b = paramValues('beta', 'beta', betaParam, layout.shape, positive, 'positive and finite');
  const g = generatorOf(opts);
  // X/(X+Y) = sigmoid(log X − log Y)
  return upload(a.map((ai, i) => 1 / (1 + Math.exp(g.logGamma(b[i]) - g.logGamma(ai)))), layout, opts);
}

/** Dirichlet draws: each last-dim row of `concentration` (all positive) gives a row that sums to 1. */
export function dirichlet(concentration: Tensor, opts: { generator?: Generator } = {}): Tensor {
  const alpha = floatValues('dirichlet', concentration, 'concentration');
  if (concentration.ndim === 0) throw new ShapeError('dirichlet', 'expected at least 1 dim (the categories), got a 0-d tensor');
  const bad = alpha.find((v) => !positive(v));
  if (bad !== undefined) throw new ArgumentError('dirichlet', `concentration must be positive and finite, got ${bad}`);
  const k = concentration.shape[concentration.ndim - 1];
  const g = generatorOf(opts);
  const out = new Float64Array(alpha.length);
  for (let start = 0; start < alpha.length; start += k) {
    // Normalise gammas through their logs (a max-shifted softmax): tiny concentrations underflow otherwise.
    const logs = Array.from({ length: k }, (_, j) => g.logGamma(alpha[start + j]));
    const m = logs.reduce((a, b) => Math.max(a, b), -Infinity); // not Math.max(...logs): k may exceed the stack
    const e = logs.map((l) => Math.exp(l - m));
    const total = e.reduce((s, v) => s + v, 0);
    e.forEach((v, j) => (out[start + j] = v / total));
  }
  return fromTyped(out, concentration.shape, { dtype: concentration.dtype, backend: concentration.backendName });
}

/**
 * Normal(mean, std) draws (torch.normal). With a tensor mean or std the result is mean + std·z,
 * differentiable in both; with numbers it needs a shape. std must be non-negative.
 */
export function normal(mean: Param, std: Param, shape?: ShapeArg, opts: RandomOptions = {}): Tensor {
  const layout = layoutOf('normal', [mean, std], shape, opts);
  paramValues('normal', 'std', std instanceof Tensor ? std.detach() : std, layout.shape, (v) => v >= 0, 'non-negative');
  const z = randn(layout.shape, { dtype: layout.dtype, backend: layout.backend, generator: opts.generator });
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    const t = z.mul(std).add(mean);
    return opts.requiresGrad ? t.requiresGrad_() : t;
  }
  return std instanceof Tensor ? std.mul(z).add(mean) : (mean as Tensor).add(z.mul(std));
}

/** Fills `t` in place with Normal(mean, std) draws (PyTorch's normal_; assign's rules for leaves apply). */
export function normal_(t: Tensor, mean = 0, std = 1, opts: { generator?: Generator } = {}): Tensor {
  inPlaceTarget('normal_', t);
  if (!(std >= 0) || !Number.isFinite(mean)) throw new ArgumentError('normal_', `expected a finite mean and std >= 0, got mean=${mean}, std=${std}`);
  const g = generatorOf(opts);
  const values = Float64Array.from({ length: t.size }, () => mean + std * g.normal());
  return t.assign(fromTyped(values, t.shape, { dtype: t.dtype, backend: t.backendName }));
}

/** Fills `t` in place with Uniform[low, high) draws (PyTorch's uniform_; assign's rules for leaves apply). */
export function uniform_(t: Tensor, low = 0, high = 1, opts: { generator?: Generator } = {}): Tensor {
  inPlaceTarget('uniform_', t);
  if (!(low <= high) || !Number.isFinite(high - low)) throw new ArgumentError('uniform_', `expected finite bounds with low <= high, got low=${low}, high=${high}`);
  const g = generatorOf(opts);
  const values = Float64Array.from({ length: t.size }, () => low + (high - low) * g.uniform());
  return t.assign(fromTyped(values, t.shape, { dtype: t.dtype, backend: t.backendName }));
}

function inPlaceTarget(op: string, t: unknown): asserts t is Tensor {
  expectTensor(op, t, 'the target');
  if (!isFloat(t.dtype)) throw new DtypeError(op, `expected a float tensor to fill, got ${t.dtype}`);
}
