import type { Backend } from './backend/backend.js';
import { backward, type BackwardOptions } from './autograd/engine.js';
import type { Function } from './autograd/function.js';
import { type DType, type TypedArray, isFloat } from './dtype.js';
import { AutogradError, BackendError, DtypeError, ShapeError, fmtShape } from './errors.js';
import { isGradEnabled, noGrad } from './autograd/grad-mode.js';
import { broadcastShapes, isContiguous, numel, shapesEqual } from './shape.js';
import * as memory from './memory.js';
import { runPendingChecks } from './checks.js';
import * as act from './ops/activation.js';
import * as bin from './ops/binary.js';
import * as d from './ops/dispatch.js';
import * as p from './ops/primitives.js';
import * as idx from './ops/indexing.js';
import * as mm from './ops/matmul.js';
import * as mv from './ops/movement.js';
import * as red from './ops/reduce.js';
import * as un from './ops/unary.js';
import * as mth from './ops/math.js';
import * as spc from './ops/special.js';
import * as acx from './ops/activation-extra.js';
import * as lay from './ops/layout.js';
import * as sc from './ops/scatter.js';
import * as prod from './ops/products.js';
import * as scan from './ops/scans.js';
import * as ord from './ops/order.js';
import * as smp from './sampling.js';
import type { Generator } from './random.js';
import { formatTensor } from './format.js';

/** Where a tensor's elements live: one backend buffer, shared by every view of it. */
export interface Storage {
  readonly backend: Backend;
  readonly backendName: string;
  readonly buffer: unknown;
}

type Axes = number | readonly number[];
type Other = Tensor | number | boolean;
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a backend, with PyTorch's autograd semantics. Shape, strides and
 * offset describe a view into `storage`, so reshape/permute/expand/slice never copy.
 */
export class Tensor {
  private _grad: Tensor | null = null;
  /** The Function that produced this tensor, when it is part of a graph (null for leaves). */
  gradFn: Function | null = null;
  private _requiresGrad = false;

  /** Bumped by every in-place update, so backward can tell when a saved tensor changed under it. */
  version = 0;

  constructor(
    public storage: Storage,
    readonly shape: number[],
    public strides: number[],
    public offset: number,
    readonly dtype: DType,
  ) {
    memory.onTensorCreated(this);
  }

  // ---- metadata ------------------------------------------------------------------
  get ndim(): number { return this.shape.length; }
  get size(): number { return numel(this.shape); }
  get backend(): Backend { return this.storage.backend; }
  get backendName(): string { return this.storage.backendName; }
  get isLeaf(): boolean { return this.gradFn === null; }
  isContiguous(): boolean { return isContiguous(this.shape, this.strides); }
  /** Size of one dim (negative counts from the end), or the shape. */
  dim(axis: number): number { return this.shape[axis < 0 ? axis + this.ndim : axis]; }

  /** Gradient accumulated by backward(); null until then. */
  get grad(): Tensor | null { return this._grad; }
  set grad(g: Tensor | null) {
    // PyTorch's checks: a gradient of another size, dtype or device is an error, not a silent broadcast or cast.
    if (g && (g.ndim !== this.ndim || g.shape.some((s, i) => s !== this.shape[i]))) {
      throw new ShapeError('grad', `assigned grad has data of a different size: ${fmtShape(g.shape)} (expected ${fmtShape(this.shape)}, the tensor's shape)`);
    }
    if (g && g.dtype !== this.dtype) throw new DtypeError('grad', `assigned grad has data of a different type: ${g.dtype} (expected ${this.dtype}, the tensor's dtype)`);
    if (g && g.backendName !== this.backendName) {
      throw new BackendError('grad', `assigned grad has data on a different backend: '${g.backendName}' (expected '${this.backendName}')`);
    }
    const prev = this._grad;
    this._grad = g;
    memory.onGradReplaced(this, prev, g);
  }

  get requiresGrad(): boolean { return this._requiresGrad; }
  set requiresGrad(on: boolean) {
    if (on && !isFloat(this.dtype)) throw new DtypeError('requiresGrad', `only float tensors can require gradients, got ${this.dtype}`);
    if (!on && this.gradFn) throw new AutogradError('requiresGrad', 'cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    this._requiresGrad = on;
  }
  /** Sets requiresGrad in place and returns this (PyTorch's requires_grad_()). */
  requiresGrad_(on = true): this { this.requiresGrad = on; return this; }

  /** PyTorch's repr: the values (summarised beyond setPrintOptions' threshold), shape, dtype, backend, requiresGrad (format.ts). */
  toString(): string { return formatTensor(this); }
  /** Node's console.log and util.inspect print toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string { return formatTensor(this); }

  // ---- data out ------------------------------------------------------------------
  // Sync reads block until the values are on the host (a GPU sync); the async forms let the
  // backend deliver them later (readAsync), and are the ones to use in browsers.

  /** A dense row-major copy of the values (Uint8Array for bool). */
  data(): TypedArray { runPendingChecks(); return p.read(this); }
  /** `data()`, delivered asynchronously: the backend's `readAsync` where it has one, else `read`. */
  dataAsync(): Promise<TypedArray> { runPendingChecks(); return p.readAsync(this); }
  /** Nested JS arrays (numbers; booleans for bool tensors). */
  toArray(): NestedArray { return nest(this.data(), this.shape, this.dtype); }
  /** `toArray()`, read asynchronously. */
  async toArrayAsync(): Promise<NestedArray> { return nest(await this.dataAsync(), this.shape, this.dtype); }
  /** The single value of a one-element tensor. */
  item(): number { return this.data()[checkOneElement(this)]; }
  /** `item()`, read asynchronously (the size check still throws synchronously). */
  itemAsync(): Promise<number> {
    const i = checkOneElement(this);
    return this.dataAsync().then((values) => values[i]);
  }

  // ---- autograd --------------------------------------------------------------------
  backward(gradient?: Tensor, opts?: BackwardOptions): void { backward(this, gradient, opts); }
  /** The same values, cut from the graph (shares storage). */
  detach(): Tensor { return new Tensor(this.storage, this.shape, this.strides, this.offset, this.dtype); }
  zeroGrad(): void { this.grad = null; }

  // ---- in-place updates (what optimizers and hand-written training loops use) ----------------
  /**
   * Replaces this tensor's values with `value` (broadcast to this shape, cast to this dtype), in
   * place: every holder of this Tensor object sees the new values. Other views of the old
   * storage keep the old values. Not recorded by autograd, so it is allowed on a leaf that
   * requires grad only inside noGrad (PyTorch's rule for `w -= lr * w.grad`); a backward that
   * needs this tensor's old values then raises an error instead of using the new ones.
   */
  assign(value: Tensor | number): this {
    if (this.gradFn) throw new AutogradError('assign', 'in-place updates of a non-leaf tensor are not supported; compute a new tensor instead');
    if (this.requiresGrad && isGradEnabled()) {
      throw new AutogradError('assign', 'a leaf tensor that requires grad is being updated in place; do it inside noGrad(() => ...)');
    }
    const src = typeof value === 'number' ? d.scalarLike(value, this) : value;
    if (src.backendName !== this.backendName) {
      throw new BackendError('assign', `expected a value on '${this.backendName}', got one on '${src.backendName}'`);
    }
    if (!shapesEqual(broadcastShapes('assign', src.shape, this.shape), this.shape)) {
      throw new ShapeError('assign', `a value of shape ${fmtShape(src.shape)} does not broadcast to this tensor's shape ${fmtShape(this.shape)} (an in-place update cannot change the shape)`);
    }
    const dense = mv.contiguous(d.cast(d.broadcastView(src, this.shape), this.dtype), true);
    memory.onStorageReplaced(this, this.storage, dense.storage);
    this.storage = dense.storage;
    this.strides = dense.strides;
    this.offset = 0;
    this.version++;
    return this;
  }
  /** this ← this + other (in place; see assign). */
  add_(o: Other, alpha?: number): this { return this.assign(noGrad(() => this.add(o, alpha))); }
  /** this ← this − other (in place; see assign). */
  sub_(o: Other, alpha?: number): this { return this.assign(noGrad(() => this.sub(o, alpha))); }
  /** this ← this · other (in place; see assign). */
  mul_(o: Other): this { return this.assign(noGrad(() => this.mul(o))); }
  /** this ← 0 (in place; see assign). */
  zero_(): this { return this.assign(0); }
  /** this ← draws from N(mean, std²) (in place; see assign). */
  normal_(mean = 0, std = 1, opts: { generator?: Generator } = {}): this { smp.normal_(this, mean, std, opts); return this; }
  /** this ← draws from U[low, high) (in place; see assign). */
  uniform_(low = 0, high = 1, opts: { generator?: Generator } = {}): this { smp.uniform_(this, low, high, opts); return this; }
  /** 0/1 draws with these probabilities (PyTorch's Tensor.bernoulli()). */
  bernoulli(opts: { generator?: Generator } = {}): Tensor { return smp.bernoulli(this, opts); }

  // ---- memory (GPU storage; a no-op on the CPU) ---------------------------------------
  /** Releases this tensor's hold on its storage, freed once no live tensor holds it (see memory.ts). Later use is an error on GPU backends. */
  dispose(): void { memory.disposeTensor(this); }
  /** Whether dispose() (or the end of the tidy that created it) has released this tensor. */
  get isDisposed(): boolean { return memory.isDisposed(this); }

  // ---- backends and dtypes -----------------------------------------------------------
  /** A copy on backend `name` (the same tensor if it is already there). Differentiable. */
  to(name: string): Tensor { return mv.toBackend(this, name); }
  /** Casts to `dtype` (differentiable between float dtypes). */
  cast(dtype: DType): Tensor { return mv.castTo(this, dtype); }
  float(): Tensor { return this.cast('float32'); }
  double(): Tensor { return this.cast('float64'); }
  int(): Tensor { return this.cast('int32'); }
  bool(): Tensor { return this.cast('bool'); }
  contiguous(): Tensor { return this.isContiguous() ? this : mv.contiguous(this); }
  clone(): Tensor { return mv.contiguous(this, true); }
  /** A new tensor of `shape` filled with `value`, on this tensor's backend with its dtype (PyTorch's new_full). */
  newFull(shape: readonly number[], value: number): Tensor { return d.full(this, shape, value); }
  newZeros(shape: readonly number[]): Tensor { return d.full(this, shape, 0); }
  newOnes(shape: readonly number[]): Tensor { return d.full(this, shape, 1); }
  zerosLike(): Tensor { return d.full(this, this.shape, 0); }
  onesLike(): Tensor { return d.full(this, this.shape, 1); }
  fullLike(value: number): Tensor { return d.full(this, this.shape, value); }

  // ---- arithmetic ------------------------------------------------------------------
  add(o: Other, alpha?: number): Tensor { return bin.add(this, o, alpha); }
  sub(o: Other, alpha?: number): Tensor { return bin.sub(this, o, alpha); }
  mul(o: Other): Tensor { return bin.mul(this, o); }
  div(o: Other): Tensor { return bin.div(this, o); }
  pow(o: Other): Tensor { return bin.pow(this, o); }
  maximum(o: Other): Tensor { return bin.maximum(this, o); }
  minimum(o: Other): Tensor { return bin.minimum(this, o); }
  clamp(min?: number | Tensor, max?: number | Tensor): Tensor { return bin.clamp(this, min, max); }
  neg(): Tensor { return un.neg(this); }
  abs(): Tensor { return un.abs(this); }
  sign(): Tensor { return un.sign(this); }
  reciprocal(): Tensor { return un.reciprocal(this); }
  square(): Tensor { return un.square(this); }
  sqrt(): Tensor { return un.sqrt(this); }
  rsqrt(): Tensor { return un.rsqrt(this); }
  exp(): Tensor { return un.exp(this); }
  expm1(): Tensor { return un.expm1(this); }
  log(): Tensor { return un.log(this); }
  log1p(): Tensor { return un.log1p(this); }
  log2(): Tensor { return un.log2(this); }
  sin(): Tensor { return un.sin(this); }
  cos(): Tensor { return un.cos(this); }
  tanh(): Tensor { return un.tanh(this); }
  sigmoid(): Tensor { return un.sigmoid(this); }
  erf(): Tensor { return un.erf(this); }
  floor(): Tensor { return un.floor(this); }
  ceil(): Tensor { return un.ceil(this); }
  round(): Tensor { return un.round(this); }

  // ---- activations ------------------------------------------------------------------
  relu(): Tensor { return act.relu(this); }
  leakyRelu(negativeSlope?: number): Tensor { return act.leakyRelu(this, negativeSlope); }
  gelu(approximate?: 'none' | 'tanh'): Tensor { return act.gelu(this, approximate); }
  elu(alpha?: number): Tensor { return act.elu(this, alpha); }
  silu(): Tensor { return act.silu(this); }
  softplus(beta?: number): Tensor { return act.softplus(this, beta); }
  logSigmoid(): Tensor { return act.logSigmoid(this); }

  // ---- comparisons and selection (no gradient through the mask) ------------------------------
  lt(o: Other): Tensor { return bin.lt(this, o); }
  le(o: Other): Tensor { return bin.le(this, o); }
  gt(o: Other): Tensor { return bin.gt(this, o); }
  ge(o: Other): Tensor { return bin.ge(this, o); }
  eq(o: Other): Tensor { return bin.eq(this, o); }
  ne(o: Other): Tensor { return bin.ne(this, o); }
  logicalAnd(o: Other): Tensor { return bin.logicalAnd(this, o); }
  logicalOr(o: Other): Tensor { return bin.logicalOr(this, o); }
  logicalNot(): Tensor { return bin.logicalNot(this); }
  /** where(this, a, b): a where this is true, else b. */
  where(a: Other, b: Other): Tensor { return bin.where(this, a, b); }
  maskedFill(mask: Tensor, value: number): Tensor { return bin.maskedFill(this, mask, value); }

  // ---- reductions --------------------------------------------------------------------
  sum(dim?: Axes, keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  mean(dim?: Axes, keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  prod(dim?: Axes, keepdim = false): Tensor { return red.prod(this, dim, keepdim); }
  var(dim?: Axes, opts?: red.VarOptions): Tensor { return red.variance(this, dim, opts); }
  std(dim?: Axes, opts?: red.VarOptions): Tensor { return red.std(this, dim, opts); }
  amax(dim?: Axes, keepdim = false): Tensor { return red.amax(this, dim, keepdim); }
  amin(dim?: Axes, keepdim = false): Tensor { return red.amin(this, dim, keepdim); }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): red.ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return dim === undefined ? red.amax(this) : red.max(this, dim, keepdim); }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): red.ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return dim === undefined ? red.amin(this) : red.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return red.argmax(this, dim, keepdim); }
  /** Whether every element (along dim) is non-zero, as a bool tensor. */
  all(dim?: Axes, keepdim = false): Tensor { return red.all(this, dim, keepdim); }
  /** Whether any element (along dim) is non-zero, as a bool tensor. */
  any(dim?: Axes, keepdim = false): Tensor { return red.any(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return red.argmin(this, dim, keepdim); }
  logsumexp(dim: Axes, keepdim = false): Tensor { return red.logsumexp(this, dim, keepdim); }
  softmax(dim: number): Tensor { return red.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return red.logSoftmax(this, dim); }
  cumsum(dim: number): Tensor { return red.cumsum(this, dim); }
  norm(p: number | 'fro' = 2, dim?: Axes, keepdim = false): Tensor { return red.norm(this, p, dim, keepdim); }

  // ---- views and movement ----------------------------------------------------------------
  reshape(...shape: number[] | [readonly number[]]): Tensor { return mv.reshape(this, flatArgs(shape)); }
  /** Like reshape, but throws instead of copying when the strides do not allow a view. */
  view(...shape: number[] | [readonly number[]]): Tensor { return mv.view(this, flatArgs(shape)); }
  permute(...dims: number[] | [readonly number[]]): Tensor { return mv.permute(this, flatArgs(dims)); }
  /** Moves dim `source` to position `destination`, keeping the others in order. */
  movedim(source: number, destination: number): Tensor { return mv.movedim(this, source, destination); }
  transpose(dim0 = -2, dim1 = -1): Tensor { return mv.transpose(this, dim0, dim1); }
  /** Transpose of the last two dims. */
  get T(): Tensor { return mv.transpose(this, -2, -1); }
  expand(...shape: number[] | [readonly number[]]): Tensor { return mv.expand(this, flatArgs(shape)); }
  expandAs(other: Tensor): Tensor { return mv.expand(this, other.shape); }
  narrow(dim: number, start: number, length: number): Tensor { return mv.narrow(this, dim, start, length); }
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return mv.slice(this, dim, start, end, step); }
  squeeze(dim?: Axes): Tensor { return mv.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return mv.unsqueeze(this, dim); }
  flatten(startDim = 0, endDim = -1): Tensor { return mv.flatten(this, startDim, endDim); }
  flip(dims: Axes): Tensor { return mv.flip(this, dims); }
  pad(padding: readonly number[], value = 0): Tensor { return mv.pad(this, padding, value); }
  split(sizeOrSections: number | readonly number[], dim = 0): Tensor[] { return mv.split(this, sizeOrSections, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return mv.chunk(this, chunks, dim); }
  tril(diagonal = 0): Tensor { return mv.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return mv.triu(this, diagonal); }

  // ---- linear algebra and indexing -------------------------------------------------------
  matmul(o: Tensor): Tensor { return mm.matmul(this, o); }
  dot(o: Tensor): Tensor { return mm.dot(this, o); }
  outer(o: Tensor): Tensor { return mm.outer(this, o); }
  gather(dim: number, index: Tensor): Tensor { return idx.gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return idx.scatterAdd(this, dim, index, src); }
  indexSelect(dim: number, index: Tensor): Tensor { return idx.indexSelect(this, dim, index); }
  sort(dim = -1, descending = false): red.ValuesIndices { return idx.sort(this, dim, descending); }
  argsort(dim = -1, descending = false): Tensor { return idx.argsort(this, dim, descending); }
  topk(k: number, dim = -1, largest = true): red.ValuesIndices { return idx.topk(this, k, dim, largest); }
  oneHot(numClasses?: number): Tensor { return idx.oneHot(this, numClasses); }

  // ---- elementwise math and activations (ops/math.ts, ops/activation.ts) ----------------------
  acos(): Tensor { return mth.acos(this); }
  asin(): Tensor { return mth.asin(this); }
  atan(): Tensor { return mth.atan(this); }
  /** atan2(this, other): the angle of the point (other, this). */
  atan2(other: Other): Tensor { return mth.atan2(this, other); }
  tan(): Tensor { return mth.tan(this); }
  sinh(): Tensor { return mth.sinh(this); }
  cosh(): Tensor { return mth.cosh(this); }
  asinh(): Tensor { return mth.asinh(this); }
  acosh(): Tensor { return mth.acosh(this); }
  atanh(): Tensor { return mth.atanh(this); }
  trunc(): Tensor { return mth.trunc(this); }
  frac(): Tensor { return mth.frac(this); }
  xlogy(other: Other): Tensor { return mth.xlogy(this, other); }
  logaddexp(other: Other): Tensor { return mth.logaddexp(this, other); }
  lerp(end: Tensor, weight: Tensor | number): Tensor { return mth.lerp(this, end, weight); }
  addcmul(tensor1: Tensor, tensor2: Tensor, value?: number): Tensor { return mth.addcmul(this, tensor1, tensor2, value); }
  lgamma(): Tensor { return spc.lgamma(this); }
  digamma(): Tensor { return spc.digamma(this); }
  erfinv(): Tensor { return spc.erfinv(this); }
  hardtanh(minVal?: number, maxVal?: number): Tensor { return acx.hardtanh(this, minVal, maxVal); }
  mish(): Tensor { return acx.mish(this); }
  softsign(): Tensor { return acx.softsign(this); }
  softmin(dim: number): Tensor { return acx.softmin(this, dim); }
  logit(eps?: number): Tensor { return acx.logit(this, eps); }

  // ---- reductions, scans and order statistics (ops/scans.ts) ------------------------------------
  cumprod(dim: number): Tensor { return scan.cumprod(this, dim); }
  logcumsumexp(dim: number): Tensor { return scan.logcumsumexp(this, dim); }
  cummax(dim: number): red.ValuesIndices { return scan.cummax(this, dim); }
  cummin(dim: number): red.ValuesIndices { return scan.cummin(this, dim); }
  diff(n = 1, dim = -1, prepend?: Tensor, append?: Tensor): Tensor { return scan.diff(this, n, dim, prepend, append); }
  median(): Tensor;
  median(dim: number, keepdim?: boolean): red.ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return dim === undefined ? ord.median(this) : ord.median(this, dim, keepdim); }
  kthvalue(k: number, dim = -1, keepdim = false): red.ValuesIndices { return ord.kthvalue(this, k, dim, keepdim); }
  mode(dim = -1, keepdim = false): red.ValuesIndices { return ord.mode(this, dim, keepdim); }
  bincount(weights?: Tensor, minlength = 0): Tensor { return ord.bincount(this, weights, minlength); }
  bucketize(boundaries: Tensor, opts?: ord.BucketizeOptions): Tensor { return ord.bucketize(this, boundaries, opts); }
  unique(opts?: ord.UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(opts: ord.UniqueOptions & ({ returnInverse: true } | { returnCounts: true })): ord.UniqueResult;
  unique(opts?: ord.UniqueOptions): Tensor | ord.UniqueResult;
  unique(opts?: ord.UniqueOptions): Tensor | ord.UniqueResult { return ord.unique(this, opts); }

  // ---- shape and indexing (ops/layout.ts, ops/scatter.ts) ---------------------------------------
  /** Tiles this tensor `sizes[i]` times along each dim (at least ndim sizes; extra ones lead). */
  repeat(...sizes: number[] | [readonly number[]]): Tensor { return lay.repeat(this, flatArgs(sizes)); }
  tile(dims: readonly number[]): Tensor { return lay.tile(this, dims); }
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor { return lay.roll(this, shifts, dims); }
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return lay.diagonal(this, offset, dim1, dim2); }
  diag(offset = 0): Tensor { return lay.diag(this, offset); }
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor { return lay.diagEmbed(this, offset, dim1, dim2); }
  trace(): Tensor { return lay.trace(this); }
  rot90(k = 1, dims: readonly number[] = [0, 1]): Tensor { return lay.rot90(this, k, dims); }
  /** Sliding windows of `size` every `step` along `dim`, as a new last dim. */
  unfold(dim: number, size: number, step: number): Tensor { return lay.unfold(this, dim, size, step); }
  /** Writes src (or value) at `index` along `dim`: a new tensor (PyTorch's out-of-place scatter). */
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor { return sc.scatter(this, dim, index, src); }
  indexAdd(dim: number, index: Tensor, source: Tensor, opts?: sc.IndexAddOptions): Tensor { return sc.indexAdd(this, dim, index, source, opts); }
  maskedSelect(mask: Tensor): Tensor { return sc.maskedSelect(this, mask); }
  nonzero(opts?: { asTuple?: false }): Tensor;
  nonzero(opts: { asTuple: true }): Tensor[];
  nonzero(opts?: sc.NonzeroOptions): Tensor | Tensor[] { return sc.nonzero(this, opts); }
  take(index: Tensor): Tensor { return sc.take(this, index); }

  // ---- distances, products and pooling (ops/distance.ts, ops/products.ts, ops/pool.ts) ----------
  /** Strict 2-d matrix product (torch.mm). */
  mm(o: Tensor): Tensor { return prod.mm(this, o); }
  /** Strict batched matrix product [B, n, m] @ [B, m, p] (torch.bmm). */
  bmm(o: Tensor): Tensor { return prod.bmm(this, o); }
  /** beta·this + alpha·(b1 @ b2), batched (torch.baddbmm). */
  baddbmm(b1: Tensor, b2: Tensor, opts?: prod.BaddbmmOptions): Tensor { return prod.baddbmm(this, b1, b2, opts); }
  /** Kronecker product (torch.kron). */
  kron(o: Tensor): Tensor { return prod.kron(this, o); }
}

function flatArgs(args: number[] | [readonly number[]]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
}

/** Index 0, after checking that `t` has exactly one element (item(), itemAsync()). */
function checkOneElement(t: Tensor): number {
  if (t.size !== 1) throw new ShapeError('item', `only one-element tensors can be converted to a number, got shape ${fmtShape(t.shape)}`);
  return 0;
}

/** Flat row-major values as nested arrays of `shape` (booleans for bool). */
function nest(flat: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  let i = 0;
  const build = (dim: number): NestedArray => {
    if (dim === shape.length) return conv(flat[i++]);
    return Array.from({ length: shape[dim] }, () => build(dim + 1));
  };
  return build(0);
}
