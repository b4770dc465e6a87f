/**
 * Elementwise kernels: one output element per thread, operands read through their strided views
 * (offset and strides are int uniforms; stride 0 is a broadcast dim), after coalescing the dims
 * all operands walk contiguously. A dense operand is read at `offset + thread`.
 */
import { type BinaryOp, comparisonOps, type DType, numel, type UnaryOp } from '@graft/core';
import { coalesce } from '@graft/core/backend-kit';
import { decode, isDenseStrides, offsetExpr, shapeValues, viewValues } from '../codegen.js';
import { binaryCode, STORE_AS_IS, STORE_BOOL, unaryCode } from '../glsl.js';
import { type GpuBuffer, type GView, INT_LIMIT, type Runtime, type Texture } from '../runtime.js';

/**
 * Runs `expr(values)` for every element of `shape` over the operand views (all of that shape) and
 * returns the output texture (null for zero size). `family` names the expression in the kernel
 * key; `uniforms` are extra int uniforms the expression uses.
 */
export function mapN(rt: Runtime, family: string, shape: readonly number[], views: readonly GView[], expr: (vals: string[]) => string, uniforms: Record<string, number> = {}): Texture | null {
  const size = numel(shape);
  if (size === 0) return null;
  const c = coalesce(shape, views.map((v) => v.strides));
  const dense = c.strides.map((st) => isDenseStrides(c.shape, st));
  const key = `map:${family}:${c.shape.length}:${dense.map((x) => (x ? 'd' : 's')).join('')}`;
  const values: Record<string, unknown> = { ...uniforms, ...shapeValues(c.shape) };
  views.forEach((v, k) => Object.assign(values, viewValues(rt, `x${k}`, v, dense[k] ? [] : c.strides[k])));
  return rt.run(key, (s) => {
    for (const n of Object.keys(uniforms)) s.param(n, 'int');
    s.line('const t = this.thread.x;');
    const idx = dense.every(Boolean) ? [] : decode(s, 't', c.shape.length, 'n', 'i');
    const vals = views.map((_, k) => {
      const at = dense[k] ? `${s.param(`x${k}o`, 'int')} + t` : offsetExpr(s, `x${k}`, idx);
      s.line(`const v${k} = ${s.param(`x${k}`, 'tex')}[${at}];`);
      return `v${k}`;
    });
    s.line(`return ${expr(vals)};`);
  }, size, values);
}

/** A buffer of `size` copies of `value`; an int32 value beyond ±2^24 is kept on the host, exactly. */
export function fill(rt: Runtime, size: number, value: number, dtype: DType): GpuBuffer {
  if (size === 0) return rt.empty(dtype);
  const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : dtype === 'int32' ? Int32Array.of(value)[0] : value;
  if (dtype === 'int32' && Math.abs(v) > INT_LIMIT) return rt.hostInt(new Int32Array(size).fill(v));
  const tex = rt.run('fill', (s) => s.line(`return ${s.param('value', 'float')};`), size, { value: v });
  return rt.wrap(tex, size, dtype, Math.abs(v));
}

export function contiguous(rt: Runtime, x: GView): GpuBuffer {
  return rt.wrap(mapN(rt, 'copy', x.shape, [x], ([v]) => v), numel(x.shape), x.dtype, x.buffer.bound);
}

/** float32 → int32 never comes here: it truncates and wraps, exact only on the host (index.ts). */
export function cast(rt: Runtime, x: GView, dtype: DType): GpuBuffer {
  if (dtype !== 'bool' || x.dtype === 'bool') return rt.wrap(mapN(rt, 'copy', x.shape, [x], ([v]) => v), numel(x.shape), dtype, x.buffer.bound);
  return rt.wrap(mapN(rt, 'store', x.shape, [x], ([v]) => `g_store(${STORE_BOOL}, ${v})`), numel(x.shape), dtype, 1);
}

export function unary(rt: Runtime, op: UnaryOp, x: GView): GpuBuffer {
  const tex = mapN(rt, 'unary', x.shape, [x], ([v]) => `g_unary(op, ${v}, nanv, infv)`, { op: unaryCode(op) });
  return rt.wrap(tex, numel(x.shape), x.dtype, op === 'sign' ? 1 : x.buffer.bound);
}

/** |a op b| for operands bounded by a.bound and b.bound (int32 pow: unbounded). */
export function binaryBound(op: BinaryOp, a: GView, b: GView): number {
  if (op === 'add' || op === 'sub') return a.buffer.bound + b.buffer.bound;
  if (op === 'mul') return a.buffer.bound * b.buffer.bound;
  return op === 'pow' ? Infinity : Math.max(a.buffer.bound, b.buffer.bound);
}

export function binary(rt: Runtime, op: BinaryOp, a: GView, b: GView): GpuBuffer {
  const dtype = comparisonOps.has(op) ? 'bool' : a.dtype;
  const store = dtype === 'bool' ? STORE_BOOL : STORE_AS_IS;
  const tex = mapN(rt, 'binary', a.shape, [a, b], ([x, y]) => `g_store(store, g_binary(op, ${x}, ${y}, nanv, infv))`, { op: binaryCode(op), store });
  return rt.wrap(tex, numel(a.shape), dtype, binaryBound(op, a, b));
}

export function where(rt: Runtime, cond: GView, a: GView, b: GView): GpuBuffer {
  const tex = mapN(rt, 'where', a.shape, [cond, a, b], ([c, x, y]) => `g_where(${c}, ${x}, ${y})`);
  return rt.wrap(tex, numel(a.shape), a.dtype, Math.max(a.buffer.bound, b.buffer.bound));
}
