/**
 * gather, indexSelect, scatterAdd and concat. Indices arrive as int32 buffers, which this backend
 * stores as float32 textures of exact small integers (core range-checks them, and a tensor here
 * has at most 2^24 elements), read back as ints with `f2i`.
 *
 * A fragment shader cannot scatter, so scatterAdd is written as a gather: output element q sums
 * the src elements whose index points at it, looping over src's axis in tiles of TILE (one pass
 * per tile, each adding to the previous pass's output).
 */
import { numel } from '@graft/core';
import { decode, offsetExpr, shapeValues, viewValues } from '../codegen.js';
import { asLine } from '@graft/core/backend-kit';
import { type GpuBuffer, type GView, multiPass, type Runtime, tiles } from '../runtime.js';
import { contiguous } from './elementwise.js';

/** out[p] = x[p with p[axis] replaced by index[p]] (gather), or by index[p[axis]] (indexSelect, 1-d index). */
function pick(rt: Runtime, kind: 'gather' | 'indexSelect', x0: GView, axis: number, index0: GView, outShape: readonly number[]): GpuBuffer {
  const [x, index] = [asLine(x0), asLine(index0)];
  const size = numel(outShape);
  if (size === 0) return rt.empty(x.dtype);
  const tex = rt.run(`${kind}:${outShape.length}:${axis}`, (s) => {
    s.line('const t = this.thread.x;');
    const p = decode(s, 't', outShape.length, 'n', 'p');
    s.line(`const k = f2i(${s.param('ix', 'tex')}[${offsetExpr(s, 'ix', kind === 'gather' ? p : [p[axis]])}]);`);
    s.line(`return ${s.param('x', 'tex')}[${offsetExpr(s, 'x', p.map((v, j) => (j === axis ? 'k' : v)))}];`);
  }, size, { ...shapeValues(outShape), ...viewValues(rt, 'x', x), ...viewValues(rt, 'ix', index) });
  return rt.wrap(tex, size, x.dtype, x.buffer.bound);
}

export const gather = (rt: Runtime, x: GView, axis: number, index: GView): GpuBuffer =>
  pick(rt, 'gather', x, axis, index, asLine(index).shape);

export const indexSelect = (rt: Runtime, x: GView, axis: number, index: GView): GpuBuffer =>
  pick(rt, 'indexSelect', x, axis, index, asLine(x).shape.map((n, d) => (d === axis ? index.shape[0] : n)));

/** |result| of scatterAdd: x's bound plus every src element of a line landing on one output. */
export const scatterAddBound = (x: GView, axis: number, index: GView, src: GView): number =>
  x.buffer.bound + asLine(index).shape[axis] * src.buffer.bound;

/**
 * x with src added at index along `axis`. Output q sums src[p] over p with p[d] = q[d] (d ≠ axis)
 * and index[p] = q[axis]; src's axis is walked in passes of TILE.
 */
export function scatterAdd(rt: Runtime, x0: GView, axis: number, index0: GView, src0: GView): GpuBuffer {
  const [x, index, src] = [asLine(x0), asLine(index0), asLine(src0)];
  const size = numel(x.shape);
  if (size === 0 || numel(index.shape) === 0) return contiguous(rt, x0);
  const nd = x.shape.length;
  const common = { ...shapeValues(x.shape), ...shapeValues(index.shape, 'm'), ...viewValues(rt, 'ix', index), ...viewValues(rt, 'src', src) };
  const tex = multiPass(tiles(index.shape[axis]), ({ j0, cnt }, prev) => rt.run(`scatterAdd:${nd}:${axis}:${prev ? 'p' : 'x'}`, (s) => {
    s.line('const t = this.thread.x;');
    const q = decode(s, 't', nd, 'n', 'q');
    s.line(prev ? `let acc = ${s.param('prev', 'tex')}[t];` : `let acc = ${s.param('x', 'tex')}[${offsetExpr(s, 'x', q)}];`);
    // q must lie inside index's extent on the other dims
    const inside = q.map((v, j) => (j === axis ? null : `${v} < ${s.param(`m${j}`, 'int')}`)).filter(Boolean);
    const p = q.map((v, j) => (j === axis ? `(${s.param('j0', 'int')} + j)` : v));
    s.line(`if (${inside.length ? inside.join(' && ') : 'true'}) {`);
    s.line(`  for (let j = 0; j < ${s.param('cnt', 'int')}; j++) {`);
    s.line(`    if (f2i(${s.param('ix', 'tex')}[${offsetExpr(s, 'ix', p)}]) == ${q[axis]}) { acc = acc + ${s.param('src', 'tex')}[${offsetExpr(s, 'src', p)}]; }`);
    s.line('  }');
    s.line('}');
    s.line('return acc;');
  }, size, { ...common, ...(prev ? { prev } : viewValues(rt, 'x', x)), j0, cnt }));
  return rt.wrap(tex, size, x.dtype, scatterAddBound(x, axis, index, src));
}

/** Joins views along `axis`: one pass per non-empty input, each copying its slab into the previous pass's output. */
export function concat(rt: Runtime, xs: readonly GView[], axis: number): GpuBuffer {
  const outShape = xs[0].shape.map((n, d) => (d === axis ? xs.reduce((sum, x) => sum + x.shape[axis], 0) : n));
  const size = numel(outShape);
  const bound = Math.max(...xs.map((x) => x.buffer.bound));
  if (size === 0) return rt.empty(xs[0].dtype);
  const starts = xs.map((_, i) => xs.slice(0, i).reduce((sum, x) => sum + x.shape[axis], 0));
  const slabs = xs.map((x, i) => ({ x, start: starts[i] })).filter(({ x }) => numel(x.shape) > 0);
  const nd = outShape.length;
  const tex = multiPass(slabs, ({ x, start }, prev) => rt.run(`concat:${nd}:${axis}:${prev ? 'p' : 'f'}`, (s) => {
    s.line('const t = this.thread.x;');
    const p = decode(s, 't', nd, 'n', 'p');
    s.line(`const k = ${p[axis]} - ${s.param('start', 'int')};`);
    s.line(`const inside = k >= 0 && k < ${s.param('len', 'int')};`);
    s.line('const kk = inside ? k : 0;');
    const v = `${s.param('x', 'tex')}[${offsetExpr(s, 'x', p.map((q, j) => (j === axis ? 'kk' : q)))}]`;
    s.line(`return inside ? ${v} : ${prev ? `${s.param('prev', 'tex')}[t]` : 'zero()'};`);
  }, size, { ...shapeValues(outShape), ...viewValues(rt, 'x', x), start, len: x.shape[axis], prev }));
  return rt.wrap(tex, size, xs[0].dtype, bound);
}
