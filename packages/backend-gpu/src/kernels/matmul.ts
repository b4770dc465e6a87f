/**
 * Batched matmul [...batch, M, K] @ [...batch, K, N] over strided operands (a transposed operand,
 * as backward passes make, is read in place through its strides; stride-0 batch dims broadcast).
 *
 * Tiling: each thread computes one output over a K-tile of at most KTILE products, unrolled by 4;
 * for K > KTILE the tiles' partial products are written side by side ([batch·M·N, S]) and summed
 * by reduce's passes, so no shader loop comes near software GL's 65,535-iteration stop and the
 * error of a long dot product grows with the tile, not with K.
 */
import { numel } from '@graft/core';
import { coalesce } from '@graft/core/backend-kit';
import { decode, shapeValues } from '../codegen.js';
import { type GpuBuffer, type GView, type Runtime } from '../runtime.js';
import { fill } from './elementwise.js';
import { foldRows } from './reduce.js';

const KTILE = 1024;

/** |a @ b| for operands bounded by a.bound and b.bound: K·a·b. */
export const matmulBound = (a: GView, b: GView): number => a.shape[a.shape.length - 1] * a.buffer.bound * b.buffer.bound;

export function matmul(rt: Runtime, a: GView, b: GView): GpuBuffer {
  const nd = a.shape.length;
  const [M, K, N] = [a.shape[nd - 2], a.shape[nd - 1], b.shape[nd - 1]];
  const batchShape = a.shape.slice(0, nd - 2);
  const size = numel(batchShape) * M * N;
  if (size === 0) return rt.empty(a.dtype);
  if (K === 0) return fill(rt, size, 0, a.dtype);
  const batch = coalesce(batchShape, [a.strides.slice(0, nd - 2), b.strides.slice(0, nd - 2)]);
  const S = Math.ceil(K / KTILE);
  const partials = rt.run(`matmul:${batch.shape.length}`, (s) => {
    for (const p of ['a', 'b']) s.param(p, 'tex');
    for (const p of ['N', 'K', 'MN', 'S', 'sam', 'sak', 'sbk', 'sbn', 'ao', 'bo']) s.param(p, 'int');
    s.line('const t = this.thread.x;');
    s.line('const o = idiv(t, S);'); // the output element, then which of its K-tiles this thread sums
    s.line('const tile = t - o * S;');
    s.line('const bt = idiv(o, MN);');
    s.line('const mn = o - bt * MN;');
    s.line('const m = idiv(mn, N);');
    s.line('const n = mn - m * N;');
    const bi = decode(s, 'bt', batch.shape.length, 'bn', 'bi');
    const aTerms = ['ao', 'm * sam', ...bi.map((i, j) => `${i} * ${s.param(`as${j}`, 'int')}`)];
    const bTerms = ['bo', 'n * sbn', ...bi.map((i, j) => `${i} * ${s.param(`bs${j}`, 'int')}`)];
    s.line(`const k0 = tile * ${KTILE};`);
    s.line(`const pa = ${aTerms.join(' + ')} + k0 * sak;`);
    s.line(`const pb = ${bTerms.join(' + ')} + k0 * sbk;`);
    s.line(`const cnt = imin(${KTILE}, K - k0);`);
    s.line('const c4 = idiv(cnt, 4);');
    s.line('let acc = zero();');
    s.line('for (let j = 0; j < c4; j++) {');
    s.line('  const q = j * 4;');
    s.line('  acc = acc + a[pa + q * sak] * b[pb + q * sbk] + a[pa + (q + 1) * sak] * b[pb + (q + 1) * sbk]');
    s.line('    + a[pa + (q + 2) * sak] * b[pb + (q + 2) * sbk] + a[pa + (q + 3) * sak] * b[pb + (q + 3) * sbk];');
    s.line('}');
    s.line('for (let q = c4 * 4; q < cnt; q++) { acc = acc + a[pa + q * sak] * b[pb + q * sbk]; }');
    s.line('return acc;');
  }, size * S, {
    a: rt.tex(a.buffer), b: rt.tex(b.buffer), N, K, MN: M * N, S, ao: a.offset, bo: b.offset,
    sam: a.strides[nd - 2], sak: a.strides[nd - 1], sbk: b.strides[nd - 2], sbn: b.strides[nd - 1],
    ...shapeValues(batch.shape, 'bn'),
    ...Object.fromEntries(batch.strides[0].map((st, j) => [`as${j}`, st])),
    ...Object.fromEntries(batch.strides[1].map((st, j) => [`bs${j}`, st])),
  }, KTILE);
  // the S partial products of each output sit side by side ([size, S]): summed in TILE-wide passes
  return rt.wrap(foldRows(rt, 'sum', partials, size, S), size, a.dtype, matmulBound(a, b));
}
