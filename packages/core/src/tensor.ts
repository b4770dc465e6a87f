import type { Backend } from './backend/backend.js';
import { getBackend } from './backend/registry.js';
import { backward, type BackwardOptions } from './autograd/engine.js';
import type { Function } from './autograd/function.js';
import { type DType, type TypedArray, isFloat } from './dtype.js';
import { AutogradError, BackendError, DtypeError, ShapeError, fmtShape } from './errors.js';
import { isGradEnabled, noGrad } from './autograd/grad-mode.js';
import { isContiguous, numel } from './shape.js';
import * as memory from './memory.js';
import * as act from './ops/activation.js';
import * as bin from './ops/binary.js';
import * as d from './ops/dispatch.js';
import * as idx from './ops/indexing.js';
import * as mm from './ops/matmul.js';
import * as mv from './ops/movement.js';
import * as red from './ops/reduce.js';
import * as un from './ops/unary.js';

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

  toString(): string {
    return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype}, backend=${this.backendName}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // ---- data out ------------------------------------------------------------------
  /** A dense row-major copy of the values (Uint8Array for bool). */
  data(): TypedArray { return this.backend.read(d.viewOf(this)); }
  /** Nested JS arrays (numbers; booleans for bool tensors). */
  toArray(): NestedArray {
    const flat = this.data();
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    let i = 0;
    const build = (dim: number): NestedArray => {
      if (dim === this.ndim) return conv(flat[i++]);
      return Array.from({ length: this.shape[dim] }, () => build(dim + 1));
    };
    return build(0);
  }
  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError('item', `only one-element tensors can be converted to a number, got shape ${fmtShape(this.shape)}`);
    return this.data()[0];
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

  // ---- memory (GPU storage; a no-op on the CPU) ---------------------------------------
  /** Releases this tensor's hold on its storage, freed once no live tensor holds it (see memory.ts). Later use is an error on GPU backends. */
  dispose(): void { memory.disposeTensor(this); }
  /** Whether dispose() (or the end of the tidy that created it) has released this tensor. */
  get isDisposed(): boolean { return memory.isDisposed(this); }

  // ---- backends and dtypes -----------------------------------------------------------
  /** A copy on backend `name` (the same tensor if it is already there). Differentiable. */
  to(name: string): Tensor { return mv.toBackend(this, getBackend(name), name); }
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
  add(o: Other, alpha?: number): Tensor { return bin.add(this, alpha === undefined ? o : bin.mul(o, alpha)); }
  sub(o: Other, alpha?: number): Tensor { return bin.sub(this, alpha === undefined ? o : bin.mul(o, alpha)); }
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

  // ---- reductions, scans and order statistics (ops/scans.ts) ------------------------------------

  // ---- shape and indexing (ops/layout.ts, ops/scatter.ts) ---------------------------------------

  // ---- distances, products and pooling (ops/distance.ts, ops/products.ts, ops/pool.ts) ----------
}

function flatArgs(args: number[] | [readonly number[]]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
}
