/**
 * Reductions in tiles: software GL stops a shader loop at 65,535 iterations (a one-pass sum of
 * 10^6 ones returned 65535), so no kernel loops more than TILE times. A reduction of R elements
 * per output runs ⌈log_TILE R⌉ passes: the first reads the strided input (any axes), each later
 * one folds TILE partial results of the previous pass. Sums are therefore tiled (pairwise-like):
 * the rounding error grows with TILE · passes, not with R.
 *
 * The same tiling serves argmax/argmin (candidates carry the index of their best element),
 * cumsum (tile sums, their scan, then a scan inside each tile), matmul's K-tiles and the softmax
 * family (fused.ts).
 */
import { type ArgReduceOp, numel, type ReduceOp } from '@graft/core';
import { asLine, coalesce } from '@graft/core/backend-kit';
import { decode, offsetExpr, shapeValues, type Source, viewValues } from '../codegen.js';
import { argReduceCode, reduceCode } from '../glsl.js';
import { type GpuBuffer, type GView, levels, multiPass, type Runtime, type Texture, tempView, TILE } from '../runtime.js';
import { contiguous, fill } from './elementwise.js';

/** A strided view split into kept dims (outer, row-major) and reduced dims (inner), each coalesced. */
interface Split { M: number; R: number; kept: { shape: number[]; strides: number[] }; red: { shape: number[]; strides: number[] } }

function split(x: GView, axes: readonly number[]): Split {
  const keptDims = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const k = coalesce(keptDims.map((d) => x.shape[d]), [keptDims.map((d) => x.strides[d])]);
  const r = coalesce(axes.map((d) => x.shape[d]), [axes.map((d) => x.strides[d])]);
  return {
    M: keptDims.reduce((p, d) => p * x.shape[d], 1),
    R: axes.reduce((p, d) => p * x.shape[d], 1),
    kept: { shape: k.shape, strides: k.strides[0] },
    red: { shape: r.shape, strides: r.strides[0] },
  };
}

/** Uniform values describing x through its Split, for code built by `rowBase` and `elemOffset`. */
const splitValues = (rt: Runtime, x: GView, sp: Split): Record<string, unknown> => ({
  ...viewValues(rt, 'x', x, sp.kept.strides), ...shapeValues(sp.kept.shape, 'k'), ...shapeValues(sp.red.shape, 'r'),
  ...Object.fromEntries(sp.red.strides.map((st, j) => [`ys${j}`, st])), R: sp.R,
});

/** Declares the texture x and emits `base`: the offset of row m's first element in it. */
function rowBase(s: Source, sp: Split, m: string): string {
  s.param('x', 'tex');
  s.line(`const base = ${offsetExpr(s, 'x', decode(s, m, sp.kept.shape.length, 'k', 'km'))};`);
  return 'base';
}
/** Source for the offset of element r within its row. */
function elemOffset(s: Source, sp: Split, r: string): string {
  const rr = decode(s, r, sp.red.shape.length, 'r', 'rr');
  return rr.length === 0 ? '0' : rr.map((i, j) => `${i} * ${s.param(`ys${j}`, 'int')}`).join(' + ');
}

/** Folds dense [M, G] partial results TILE at a time down to a dense [M] texture (consumes `partials`). */
export function foldRows(rt: Runtime, op: ReduceOp, partials: Texture, M: number, G: number): Texture {
  return multiPass(levels(G), ({ G, G2 }, p) => rt.run('red2', (s) => {
    s.line('const t = this.thread.x;');
    s.line(`const m = idiv(t, ${s.param('G2', 'int')});`);
    s.line(`const r0 = (t - m * G2) * ${TILE};`);
    s.line(`const cnt = imin(${TILE}, ${s.param('G', 'int')} - r0);`);
    s.line(`let acc = g_redinit(${s.param('op', 'int')}, infv);`);
    s.line(`for (let j = 0; j < cnt; j++) { acc = g_red(op, acc, ${s.param('p', 'tex')}[m * G + r0 + j]); }`);
    s.line('return acc;');
  }, M * G2, { p, op: reduceCode(op), G, G2 }), partials);
}

/**
 * reduce(op) over `axes` of a strided view (R > 0, M > 0): a dense [M] texture. With `shift` (a
 * dense [M] texture) it sums exp(x − shift[m]) instead: the sum of a logsumexp.
 */
export function reduceTexture(rt: Runtime, op: ReduceOp, x: GView, axes: readonly number[], shift?: Texture): Texture {
  const sp = split(x, axes);
  const G = Math.ceil(sp.R / TILE);
  const first = rt.run(`red1:${shift ? 'expshift' : 'none'}:${sp.kept.shape.length}:${sp.red.shape.length}`, (s) => {
    s.line('const t = this.thread.x;');
    s.line(`const m = idiv(t, ${s.param('G', 'int')});`);
    s.line(`const r0 = (t - m * G) * ${TILE};`);
    const base = rowBase(s, sp, 'm');
    if (shift) s.line(`const sh = ${s.param('shift', 'tex')}[m];`);
    s.line(`const cnt = imin(${TILE}, ${s.param('R', 'int')} - r0);`);
    s.line(`let acc = g_redinit(${s.param('op', 'int')}, infv);`);
    s.line('for (let j = 0; j < cnt; j++) {');
    const v = `x[${base} + ${elemOffset(s, sp, 'r0 + j')}]`;
    s.line(`  acc = g_red(op, acc, ${shift ? `g_expshift(${v}, sh, infv)` : v});`);
    s.line('}');
    s.line('return acc;');
  }, sp.M * G, { ...splitValues(rt, x, sp), op: reduceCode(op), G, shift });
  return foldRows(rt, op, first, sp.M, G);
}

/** |result| of reduce for an input bounded by x.bound: R·b for sum, b^R for prod. */
export function reduceBound(op: ReduceOp, x: GView, axes: readonly number[]): number {
  const R = axes.reduce((p, d) => p * x.shape[d], 1);
  return op === 'sum' ? x.buffer.bound * R : op === 'prod' ? x.buffer.bound ** R : x.buffer.bound;
}

export function reduce(rt: Runtime, op: ReduceOp, x: GView, axes: readonly number[]): GpuBuffer {
  if (axes.length === 0) return contiguous(rt, x);
  const M = numel(x.shape.filter((_, d) => !axes.includes(d)));
  if (M === 0) return rt.empty(x.dtype);
  if (axes.some((d) => x.shape[d] === 0)) return fill(rt, M, { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op], x.dtype);
  return rt.wrap(reduceTexture(rt, op, x, axes), M, x.dtype, reduceBound(op, x, axes));
}

// ---- argmax / argmin ------------------------------------------------------------------------------

/**
 * int32 index of the first max/min (first NaN) along `axis`. Pass 1 keeps each tile's best index;
 * later passes compare the candidates' values, read again from x.
 */
export function argReduce(rt: Runtime, op: ArgReduceOp, x0: GView, axis: number): GpuBuffer {
  const x = asLine(x0);
  const sp = split(x, [axis]);
  if (sp.R === 0) return fill(rt, sp.M, 0, 'int32');
  if (sp.M === 0) return rt.empty('int32');
  const line = sp.red.shape.length; // 0 (a line of 1) or 1
  const readAt = (s: Source, idx: string) => (line ? `x[base + ${idx} * ${s.param('ys0', 'int')}]` : 'x[base]');
  const head = (s: Source) => {
    s.line('const t = this.thread.x;');
    s.line(`const m = idiv(t, ${s.param('G2', 'int')});`);
    s.line(`const r0 = (t - m * G2) * ${TILE};`);
    rowBase(s, sp, 'm');
    s.param('op', 'int');
  };
  const values = { ...splitValues(rt, x, sp), op: argReduceCode(op) };
  const G = Math.ceil(sp.R / TILE);
  const first = rt.run(`arg1:${sp.kept.shape.length}:${line}`, (s) => {
    head(s);
    s.line(`const cnt = imin(${TILE}, ${s.param('R', 'int')} - r0);`);
    s.line(`let best = ${readAt(s, 'r0')};`);
    s.line('let bi = r0;');
    s.line(`for (let j = 1; j < cnt; j++) { const v = ${readAt(s, '(r0 + j)')}; if (g_better(op, v, best) > 0.5) { best = v; bi = r0 + j; } }`);
    s.line('return i2f(bi);');
  }, sp.M * G, { ...values, G2: G });
  const tex = multiPass(levels(G), ({ G, G2 }, p) => rt.run(`arg2:${sp.kept.shape.length}:${line}`, (s) => {
    head(s);
    s.line(`const cnt = imin(${TILE}, ${s.param('G', 'int')} - r0);`);
    s.line(`let bi = f2i(${s.param('p', 'tex')}[m * G + r0]);`);
    s.line(`let best = ${readAt(s, 'bi')};`);
    s.line(`for (let j = 1; j < cnt; j++) { const ci = f2i(p[m * G + r0 + j]); const v = ${readAt(s, 'ci')}; if (g_better(op, v, best) > 0.5) { best = v; bi = ci; } }`);
    s.line('return i2f(bi);');
  }, sp.M * G2, { ...values, p, G, G2 }), first);
  return rt.wrap(tex, sp.M, 'int32', sp.R);
}

// ---- cumsum ---------------------------------------------------------------------------------------

export const cumsumBound = (x: GView, axis: number): number => x.buffer.bound * asLine(x).shape[axis];

export function cumsum(rt: Runtime, x0: GView, axis: number): GpuBuffer {
  const x = asLine(x0);
  if (numel(x.shape) === 0) return rt.empty(x.dtype);
  return rt.wrap(cumsumTexture(rt, x, axis), numel(x.shape), x.dtype, cumsumBound(x, axis));
}

/** Source for `acc += x` over `cnt` elements of x's line from position k0 (base: the line's start). */
function lineSum(s: Source, idx: readonly string[], axis: number): void {
  s.line(`const base = ${offsetExpr(s, 'x', idx.map((v, j) => (j === axis ? '0' : v)))};`);
  s.line(`for (let j = 0; j < cnt; j++) { acc = acc + ${s.param('x', 'tex')}[base + (k0 + j) * ${s.param('sa', 'int')}]; }`);
}
/** x's uniforms with the axis stride zeroed (the line start) and given separately as `sa`. */
const lineValues = (rt: Runtime, x: GView, axis: number) =>
  ({ ...viewValues(rt, 'x', x, x.strides.map((st, j) => (j === axis ? 0 : st))), sa: x.strides[axis], L: x.shape[axis] });

/**
 * Inclusive prefix sums along `axis` (line length L > 0), dense in x's shape. Lines of at most
 * TILE elements: one pass (each output sums its prefix). Longer: tile sums, their scan
 * (recursively), then each output adds its tile's prefix to the sum inside its tile.
 */
function cumsumTexture(rt: Runtime, x: GView, axis: number): Texture {
  const nd = x.shape.length;
  const L = x.shape[axis];
  const G = Math.ceil(L / TILE);
  const inner = numel(x.shape.slice(axis + 1));
  let prefix: Texture | null = null;
  if (L > TILE) {
    // tile sums, dense [outer, G, inner], scanned along G
    const shape = x.shape.map((n, d) => (d === axis ? G : n));
    const sums = rt.run(`tilesums:${nd}:${axis}`, (s) => {
      s.line('const t = this.thread.x;');
      const idx = decode(s, 't', nd, 'n', 'i');
      s.line(`const k0 = ${idx[axis]} * ${TILE};`);
      s.line(`const cnt = imin(${TILE}, ${s.param('L', 'int')} - k0);`);
      s.line('let acc = zero();');
      lineSum(s, idx, axis);
      s.line('return acc;');
    }, numel(shape), { ...lineValues(rt, x, axis), ...shapeValues(shape) });
    prefix = cumsumTexture(rt, tempView(sums, shape), axis);
    sums.delete();
  }
  const out = rt.run(`cumsum:${nd}:${axis}:${prefix ? 'p' : 'n'}`, (s) => {
    s.line('const t = this.thread.x;');
    const idx = decode(s, 't', nd, 'n', 'i');
    s.line(`const k = ${idx[axis]};`);
    s.line(`const k0 = idiv(k, ${TILE}) * ${TILE};`);
    s.line('let acc = zero();');
    if (prefix) {
      const [G_, inner_, L_] = [s.param('G', 'int'), s.param('inner', 'int'), s.param('L', 'int')];
      s.line(`const ti = idiv(k, ${TILE});`);
      s.line(`const outer = idiv(t, ${L_} * ${inner_});`);
      s.line(`const inn = t - idiv(t, ${inner_}) * ${inner_};`);
      s.line(`if (ti > 0) { acc = ${s.param('pre', 'tex')}[(outer * ${G_} + ti - 1) * ${inner_} + inn]; }`);
    }
    s.line('const cnt = k - k0 + 1;');
    lineSum(s, idx, axis);
    s.line('return acc;');
  }, numel(x.shape), { ...lineValues(rt, x, axis), ...shapeValues(x.shape), pre: prefix, G, inner });
  prefix?.delete();
  return out;
}
