/**
 * The one op table (STYLE.md §2 habit 4): how each fixture op (fixtures/ops*.json, from PyTorch) is
 * called in graft, whether it has a gradient, its per-backend skips and its error inputs. The
 * conformance suite walks this table; a new op is one row in its family's file under rows/ plus its
 * cases in that family's generator (tools/gen_ops_<family>.py).
 */
import type { DType } from '../dtype.js';
import { concat, conv2d, stack, where } from '../index.js';
import type { Tensor } from '../tensor.js';
import { type Tol, tolFor } from './allclose.js';
import { type ConformanceTest, type OpRow, type Skip, bigLogits, bin, second, un, values, withIndices } from './op-row.js';
import { elementwiseRows } from './rows/elementwise.js';
import { creationRows } from './rows/creation.js';
import { linalgRows } from './rows/linalg.js';
import { productRows } from './rows/products.js';
import { scanRows } from './rows/scans.js';
import { shapeRows } from './rows/shape.js';

export { conformanceTests, type ConformanceTest, type ErrorInput, type Kwargs, type OpRow, type Skip } from './op-row.js';

/** split/chunk return several tensors: piece i scaled by (i + 1), then joined again (the generator does the same in torch). */
const weighted = (pieces: Tensor[], dim: number): Tensor => concat(pieces.map((p, i) => p.mul(i + 1)), dim);

const coreRows: { [op: string]: OpRow } = {
  // ---- elementwise unary ----
  neg: un((x) => x.neg()),
  reciprocal: un((x) => x.reciprocal()),
  square: un((x) => x.square()),
  sqrt: un((x) => x.sqrt()),
  rsqrt: un((x) => x.rsqrt()),
  abs: un((x) => x.abs()),
  sign: un((x) => x.sign(), values),
  exp: un((x) => x.exp(), second),
  expm1: un((x) => x.expm1()),
  log: un((x) => x.log(), second),
  log1p: un((x) => x.log1p()),
  log2: un((x) => x.log2()),
  sin: un((x) => x.sin()),
  cos: un((x) => x.cos()),
  tanh: un((x) => x.tanh(), second),
  sigmoid: un((x) => x.sigmoid(), second),
  logSigmoid: un((x) => x.logSigmoid()),
  softplus: un((x, k) => x.softplus(k.beta), second),
  relu: un((x) => x.relu()),
  leakyRelu: un((x, k) => x.leakyRelu(k.negativeSlope)),
  gelu: un((x, k) => x.gelu(k.approximate), second),
  elu: un((x, k) => x.elu(k.alpha)),
  silu: un((x) => x.silu()),
  erf: un((x) => x.erf()),
  floor: un((x) => x.floor(), values),
  ceil: un((x) => x.ceil(), values),
  round: un((x) => x.round(), values),
  clamp: un((x, k) => x.clamp(k.min, k.max)),

  // ---- elementwise binary and ternary ----
  add: bin((a, b) => a.add(b)),
  sub: bin((a, b) => a.sub(b)),
  mul: bin((a, b) => a.mul(b), second),
  div: bin((a, b) => a.div(b), second),
  pow: bin((a, b, k) => a.pow(b ?? k.exponent), second),
  maximum: bin((a, b) => a.maximum(b)),
  minimum: bin((a, b) => a.minimum(b)),
  where: { fn: ([c, a, b]) => where(c, a, b), differentiable: true, secondOrder: true },
  maskedFill: {
    fn: ([x, m], k) => x.maskedFill(m, k.value),
    differentiable: true,
    skips: [{ test: 'gradcheck', case: 'maskedFill_neg_inf', reason: 'the output holds -inf, where central differences give inf − inf = NaN; the backward test checks the zero gradient there against PyTorch' }],
  },
  lt: bin((a, b) => a.lt(b), values),
  le: bin((a, b) => a.le(b), values),
  gt: bin((a, b) => a.gt(b), values),
  ge: bin((a, b) => a.ge(b), values),
  eq: bin((a, b) => a.eq(b), values),
  ne: bin((a, b) => a.ne(b), values),
  logicalAnd: bin((a, b) => a.logicalAnd(b), values),
  logicalOr: bin((a, b) => a.logicalOr(b), values),
  logicalNot: un((x) => x.logicalNot(), values),

  // ---- reductions and scans ----
  sum: un((x, k) => x.sum(k.dim, k.keepdim), second),
  mean: un((x, k) => x.mean(k.dim, k.keepdim), second),
  var: un((x, k) => x.var(k.dim, { correction: k.correction, keepdim: k.keepdim }), second),
  std: un((x, k) => x.std(k.dim, { correction: k.correction, keepdim: k.keepdim })),
  prod: un((x, k) => x.prod(k.dim, k.keepdim)),
  max: withIndices((x, k) => (k.dim === undefined ? x.max() : x.max(k.dim, k.keepdim))),
  min: withIndices((x, k) => (k.dim === undefined ? x.min() : x.min(k.dim, k.keepdim))),
  amax: un((x, k) => x.amax(k.dim, k.keepdim)),
  amin: un((x, k) => x.amin(k.dim, k.keepdim)),
  argmax: un((x, k) => x.argmax(k.dim, k.keepdim), values),
  argmin: un((x, k) => x.argmin(k.dim, k.keepdim), values),
  logsumexp: un((x, k) => x.logsumexp(k.dim, k.keepdim), { ...second, ...bigLogits('logsumexp') }),
  softmax: un((x, k) => x.softmax(k.dim), { ...second, ...bigLogits('softmax') }),
  logSoftmax: un((x, k) => x.logSoftmax(k.dim), { ...second, ...bigLogits('logSoftmax') }),
  cumsum: un((x, k) => x.cumsum(k.dim)),
  norm: un((x, k) => x.norm(k.p, k.dim, k.keepdim), {
    ...second,
    skips: [{ test: 'gradgradcheck', case: 'norm_p2_zero_row', reason: '‖x‖₂ has no second derivative at x = 0 (the Hessian grows like 1/‖x‖); its first derivative there (the subgradient 0, as PyTorch) is checked by backward and gradcheck' }],
  }),

  // ---- linear algebra ----
  matmul: bin((a, b) => a.matmul(b as Tensor), second),
  dot: bin((a, b) => a.dot(b as Tensor)),
  outer: bin((a, b) => a.outer(b as Tensor)),
  conv2d: { fn: ([x, w, b], k) => conv2d(x, w, b, k), differentiable: true, secondOrder: true },

  // ---- joining, splitting, indexing ----
  concat: { fn: (xs, k) => concat(xs, k.dim), differentiable: true, secondOrder: true },
  stack: { fn: (xs, k) => stack(xs, k.dim), differentiable: true },
  split: un((x, k) => weighted(x.split(k.sizeOrSections, k.dim), k.dim)),
  chunk: un((x, k) => weighted(x.chunk(k.chunks, k.dim), k.dim)),
  gather: { fn: ([x, i], k) => x.gather(k.dim, i), differentiable: true, secondOrder: true },
  scatterAdd: { fn: ([x, i, s], k) => x.scatterAdd(k.dim, i, s), differentiable: true },
  indexSelect: { fn: ([x, i], k) => x.indexSelect(k.dim, i), differentiable: true },
  sort: withIndices((x, k) => x.sort(k.dim, k.descending)),
  argsort: un((x, k) => x.argsort(k.dim, k.descending), values),
  topk: withIndices((x, k) => x.topk(k.k, k.dim, k.largest)),
  oneHot: un((x, k) => x.oneHot(k.numClasses), values),

  // ---- movement ----
  pad: un((x, k) => x.pad(k.padding, k.value)),
  flip: un((x, k) => x.flip(k.dims)),
  tril: un((x, k) => x.tril(k.diagonal)),
  triu: un((x, k) => x.triu(k.diagonal)),
  reshape: un((x, k) => x.reshape(k.shape)),
  view: un((x, k) => x.view(k.shape), {
    skips: [{ test: 'noncontiguous', reason: 'view() of a non-contiguous input must throw when no strides fit (PyTorch does too); reshape covers the copying path' }],
  }),
  permute: un((x, k) => x.permute(k.dims)),
  movedim: un((x, k) => x.movedim(k.source, k.destination)),
  transpose: un((x, k) => x.transpose(k.dim0, k.dim1)),
  expand: un((x, k) => x.expand(k.shape)),
  narrow: un((x, k) => x.narrow(k.dim, k.start, k.length)),
  slice: un((x, k) => x.slice(k.dim, k.start, k.end, k.step)),
  squeeze: un((x, k) => x.squeeze(k.dim)),
  unsqueeze: un((x, k) => x.unsqueeze(k.dim)),
  flatten: un((x, k) => x.flatten(k.startDim, k.endDim)),
};

/** Every row: the core ops above, then one file per family under rows/ (each with its generator tools/gen_ops_<family>.py). */
export const opTable: { [op: string]: OpRow } = {
  ...coreRows, ...elementwiseRows, ...scanRows, ...shapeRows, ...productRows, ...linalgRows, ...creationRows,
};

/** The tolerance of one case in one dtype: caseTol, else the row's tol, else the defaults. */
export function caseTolerance(row: OpRow, caseName: string, dtype: DType): Tol {
  return tolFor(dtype, { ...row.tol, ...row.caseTol?.[caseName] });
}

/** The skip that applies to (op row, test, backend, dtype, case), if any. */
export function findSkip(row: OpRow, test: ConformanceTest, backend: string, dtype?: DType, caseName?: string): Skip | undefined {
  return row.skips?.find((s) => s.test === test && (s.backend === undefined || s.backend === backend)
    && (s.dtype === undefined || dtype === undefined || s.dtype === dtype) && (s.case === undefined || s.case === caseName));
}
