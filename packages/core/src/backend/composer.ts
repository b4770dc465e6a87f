/**
 * A small builder for compositions over a backend's required primitives (part of
 * `@graft/core/backend-kit`). Each step calls one primitive on views and returns a dense view of
 * the fresh buffer; `compose` hands back the final buffer and frees every intermediate, so a
 * composition leaks nothing on backends whose memory the garbage collector cannot see.
 */
import type { DType, TypedArray } from '../dtype.js';
import { numel, type Shape } from '../shape.js';
import type { Backend, ReduceOp, RequiredBinaryOp, RequiredUnaryOp, View } from './backend.js';
import { comparisonOps } from './scalar.js';
import { alongAxes, denseView, isDense, withoutAxis } from './strided.js';

export class Composer<B> {
  private readonly temps: B[] = [];
  constructor(private readonly b: Backend<B>) {}

  /** Records a fresh buffer as an intermediate and views it densely. */
  private take(buffer: B, shape: Shape, dtype: DType): View<B> {
    this.temps.push(buffer);
    return denseView(buffer, shape, dtype);
  }

  // ---- leaves ----
  /** `value` in `dtype`, broadcast (stride 0) to `shape`. */
  constant(value: number, dtype: DType, shape: Shape): View<B> {
    const one = this.take(this.b.fill(1, value, dtype), [], dtype);
    return { ...one, shape, strides: shape.map(() => 0) };
  }
  /** `value` in the dtype and shape of `like`. */
  scalar(value: number, like: View<B>): View<B> { return this.constant(value, like.dtype, like.shape); }
  /** A 1-d host array (an index map or a mask: derived from shapes, never from data) seen along `axis` of `shape`. */
  alongAxis(data: TypedArray, dtype: DType, shape: Shape, axis: number): View<B> {
    return alongAxes(this.take(this.b.fromArray(data, dtype), [data.length], dtype), shape, [axis]);
  }

  // ---- required primitives ----
  unary(op: RequiredUnaryOp, x: View<B>): View<B> { return this.take(this.b.unary(op, x), x.shape, x.dtype); }
  binary(op: RequiredBinaryOp, a: View<B>, b: View<B>): View<B> {
    return this.take(this.b.binary(op, a, b), a.shape, comparisonOps.has(op) ? 'bool' : a.dtype);
  }
  where(cond: View<B>, a: View<B>, b: View<B>): View<B> { return this.take(this.b.where(cond, a, b), a.shape, a.dtype); }
  cast(x: View<B>, dtype: DType): View<B> { return this.take(this.b.cast(x, dtype), x.shape, dtype); }
  copy(x: View<B>): View<B> { return this.take(this.b.contiguous(x), x.shape, x.dtype); }
  reduce(op: ReduceOp, x: View<B>, axis: number): View<B> { return this.take(this.b.reduce(op, x, [axis]), withoutAxis(x.shape, axis), x.dtype); }
  gather(x: View<B>, axis: number, index: View<B>): View<B> { return this.take(this.b.gather(x, axis, index), index.shape, x.dtype); }

  // ---- one-line compositions used by several ops ----
  neg(x: View<B>): View<B> { return this.binary('mul', x, this.scalar(-1, x)); }
  bool(x: View<B>): View<B> { return x.dtype === 'bool' ? x : this.cast(x, 'bool'); }
  /** Logical not of a bool view: m == false. */
  not(m: View<B>): View<B> { return this.binary('eq', m, this.constant(0, 'bool', m.shape)); }
  /** Logical or of bool views: bool `add` stores `a + b != 0`. */
  or(m: View<B>, n: View<B>): View<B> { return this.binary('add', m, n); }
  /** Logical and of bool views: bool `mul`. */
  and(m: View<B>, n: View<B>): View<B> { return this.binary('mul', m, n); }
  /** x != x. */
  isNan(x: View<B>): View<B> { return this.not(this.binary('eq', x, x)); }

  /** The buffer of `out` (a copy when it is not a dense intermediate); frees every other intermediate. */
  finish(out: View<B>): B {
    const own = this.temps.indexOf(out.buffer);
    const result = own >= 0 && isDense(out) && out.offset === 0 && numel(out.shape) > 0 ? out.buffer : this.b.contiguous(out);
    this.release(result);
    return result;
  }

  /** Frees every intermediate but `keep`. */
  release(keep?: B): void {
    for (const t of this.temps.splice(0)) if (t !== keep) this.b.dispose(t);
  }
}

/** Runs `build` on a fresh Composer and returns its result as a new dense buffer, intermediates freed. */
export function compose<B>(b: Backend<B>, build: (k: Composer<B>) => View<B>): B {
  const k = new Composer(b);
  try {
    return k.finish(build(k));
  } finally {
    k.release();
  }
}
