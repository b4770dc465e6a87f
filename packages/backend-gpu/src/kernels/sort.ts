/**
 * Stable sort along an axis: values and int32 indices, both dense in x's shape, in the NaN-aware
 * order of `g_before` (NaN last ascending, first descending; ties keep their order).
 *
 * Short lines (≤ RANK_MAX) sort by ranks: each element counts the elements that precede it in its
 * line, then each output position finds the element of its rank; O(L²) per line in TILE-sized
 * passes, right for the short lines of losses (top-k over classes). Longer lines run a bitonic
 * network over (value, index) pairs: a total order, so stable, in O(L log² L) cheap passes.
 */
import { numel } from '@graft/core';
import { decode, offsetExpr, shapeValues, type Source, viewValues } from '../codegen.js';
import { asLine } from '@graft/core/backend-kit';
import { type GpuBuffer, type GView, multiPass, type Runtime, type Texture, tiles } from '../runtime.js';

const RANK_MAX = 64;
type Sorted = { values: Texture; indices: Texture };

export function sort(rt: Runtime, x0: GView, axis: number, descending: boolean): { values: GpuBuffer; indices: GpuBuffer } {
  const x = asLine(x0);
  const size = numel(x.shape);
  if (size === 0) return { values: rt.empty(x.dtype), indices: rt.empty('int32') };
  const L = x.shape[axis];
  const r = (L > RANK_MAX ? bitonicSort : rankSort)(rt, x, axis, descending ? 1 : 0);
  return { values: rt.wrap(r.values, size, x.dtype, x.buffer.bound), indices: rt.wrap(r.indices, size, 'int32', L) };
}

/**
 * Per output element, a loop over its whole line in passes of TILE: `acc` carries over from the
 * previous pass (0 at first), `base` is the line's start and `k` the position in the line; `body`
 * may emit lines before the loop and returns the loop's statement.
 */
function overLine(rt: Runtime, key: string, x: GView, axis: number, extra: Record<string, unknown>, body: (s: Source, p: string[]) => string): Texture {
  const nd = x.shape.length;
  return multiPass(tiles(x.shape[axis]), ({ j0, cnt }, prev) => rt.run(`${key}:${nd}:${axis}:${prev ? 'p' : 'f'}`, (s) => {
    s.param('x', 'tex');
    s.line('const t = this.thread.x;');
    const p = decode(s, 't', nd, 'n', 'p');
    s.line(`const base = ${offsetExpr(s, 'x', p.map((q, j) => (j === axis ? '0' : q)))};`);
    s.line(prev ? `let acc = ${s.param('prev', 'tex')}[t];` : 'let acc = zero();');
    const statement = body(s, p);
    s.line(`for (let j = 0; j < ${s.param('cnt', 'int')}; j++) { const k = ${s.param('j0', 'int')} + j; ${statement} }`);
    s.line('return acc;');
  }, numel(x.shape), { ...shapeValues(x.shape), ...viewValues(rt, 'x', x), ...extra, j0, cnt, prev }));
}

function rankSort(rt: Runtime, x: GView, axis: number, desc: number): Sorted {
  const sa = (s: Source) => s.param(`xs${axis}`, 'int');
  // rank[p] = #{k : element k precedes element p[axis] in its line}
  const rank = overLine(rt, 'rank', x, axis, { desc }, (s, p) => {
    s.line(`const v = x[${offsetExpr(s, 'x', p)}];`);
    return `acc = acc + g_before(${s.param('desc', 'int')}, x[base + k * ${sa(s)}], k, v, ${p[axis]});`;
  });
  // output position p[axis] = r: the element k of its line with rank[k] = r (its value, or k).
  // rank is dense in x's shape: element k of this line sits at t + (k - p[axis]) * rs.
  const lookup = (what: 'values' | 'indices') => overLine(rt, `sortpick:${what}`, x, axis, { rank, rs: numel(x.shape.slice(axis + 1)) }, (s, p) => {
    s.line(`const rbase = t - ${p[axis]} * ${s.param('rs', 'int')};`);
    s.line(`const want = i2f(${p[axis]});`);
    return `if (${s.param('rank', 'tex')}[rbase + k * rs] == want) { acc = ${what === 'values' ? `x[base + k * ${sa(s)}]` : 'i2f(k)'}; }`;
  });
  const sorted = { values: lookup('values'), indices: lookup('indices') };
  rank.delete();
  return sorted;
}

/**
 * Bitonic sort of each line (L > RANK_MAX), padded to P = 2^⌈log2 L⌉ with sentinels that sort
 * last: a permutation texture [M, P] of original indices, rewritten by log2(P)·(log2(P)+1)/2
 * passes of compare-exchange (each thread keeps the first or second of itself and its partner
 * i XOR j). Elements compare by (value in the NaN-aware order, original index).
 */
function bitonicSort(rt: Runtime, x: GView, axis: number, desc: number): Sorted {
  const nd = x.shape.length;
  const L = x.shape[axis];
  const P = 2 ** Math.ceil(Math.log2(L));
  const size = numel(x.shape);
  // row m of the [M, P] permutation is the line of x at the m-th combination of the other dims (row-major)
  const others = x.shape.map((_, d) => d).filter((d) => d !== axis);
  const rowShape = others.map((d) => x.shape[d]);
  const stages: { k: number; j: number }[] = [];
  for (let k = 2; k <= P; k *= 2) for (let j = k / 2; j >= 1; j /= 2) stages.push({ k, j });
  const rowValues = { ...shapeValues(rowShape), ...viewValues(rt, 'x', x, others.map((d) => x.strides[d])), L, P, sa: x.strides[axis], desc };
  const perm = multiPass(stages, ({ k, j }, prev) => rt.run(`bitonic:${rowShape.length}:${prev ? 'p' : 'f'}`, (s) => {
    s.param('x', 'tex');
    for (const p of ['L', 'P', 'sa', 'k', 'j', 'desc']) s.param(p, 'int');
    s.line('const t = this.thread.x;');
    s.line('const m = idiv(t, P);');
    s.line('const i = t - m * P;');
    s.line(`const base = ${offsetExpr(s, 'x', decode(s, 'm', rowShape.length, 'n', 'q'))};`);
    s.line('const l = imod(idiv(i, j), 2) == 0 ? i + j : i - j;');
    if (prev) s.line(`const a = f2i(${s.param('perm', 'tex')}[m * P + i]); const b = f2i(perm[m * P + l]);`);
    else s.line('const a = i; const b = l;');
    s.line('const va = a < L ? x[base + imin(a, L - 1) * sa] : zero();');
    s.line('const vb = b < L ? x[base + imin(b, L - 1) * sa] : zero();');
    // a comes first: b is a sentinel, or both are real and (va, a) precedes (vb, b)
    s.line('const aFirst = b >= L ? 1 : (a >= L ? 0 : (g_before(desc, va, a, vb, b) > 0.5 ? 1 : 0));');
    s.line('const up = imod(idiv(i, k), 2) == 0 ? 1 : 0;'); // this block sorts in the requested order
    s.line('const low = i < l ? 1 : 0;'); // this thread holds the first of the pair
    s.line('return i2f((up == low ? 1 : 0) == aFirst ? a : b);');
  }, (size / L) * P, { ...rowValues, k, j, perm: prev }));
  // m: the row of an element's line, row-major over the other dims
  const rowStride = (d: number) => (d === axis ? 0 : numel(x.shape.slice(d + 1).filter((_, e) => e + d + 1 !== axis)));
  const pick = (what: 'values' | 'indices'): Texture => rt.run(`bitonic-out:${what}:${nd}:${axis}`, (s) => {
    s.line('const t = this.thread.x;');
    const p = decode(s, 't', nd, 'd', 'p');
    const mTerms = p.map((v, d) => (d === axis ? null : `${v} * ${s.param(`ms${d}`, 'int')}`)).filter(Boolean);
    s.line(`const m = ${mTerms.length ? mTerms.join(' + ') : '0'};`);
    s.line(`const src = f2i(${s.param('perm', 'tex')}[m * ${s.param('P', 'int')} + ${p[axis]}]);`);
    s.line(what === 'values' ? `return ${s.param('x', 'tex')}[${offsetExpr(s, 'x', p.map((v, d) => (d === axis ? 'src' : v)))}];` : 'return i2f(src);');
  }, size, { perm, P, ...shapeValues(x.shape, 'd'), ...viewValues(rt, 'x', x), ...Object.fromEntries(x.shape.map((_, d) => [`ms${d}`, rowStride(d)])) });
  const sorted = { values: pick('values'), indices: pick('indices') };
  perm.delete();
  return sorted;
}
