/**
 * The one op table (STYLE.md §2 habit 4): how each fixture op (fixtures/ops*.json, from PyTorch) is
 * called in graft, whether it has a gradient, its per-backend skips and its error inputs. The
 * conformance suite walks this table; a new op is one row in its family's file under rows/ plus its
 * cases in that family's generator (tools/gen_ops_<family>.py).
 */
import type { DType } from '../dtype.js';
import { ArgumentError, DtypeError, ShapeError } from '../errors.js';
import { concat, conv2d, stack, sub, tensor, where } from '../index.js';
import type { Tensor } from '../tensor.js';
import { type Tol, tolFor } from './allclose.js';
import { type ConformanceTest, type OpRow, type Rows, type Skip, bigLogits, bin, second, un, values, withIndices } from './op-row.js';
import { elementwiseRows } from './rows/elementwise.js';
import { creationRows } from './rows/creation.js';
import { linalgRows } from './rows/linalg.js';
import { lossRows } from './rows/losses.js';
import { productRows } from './rows/products.js';
import { scanRows } from './rows/scans.js';
import { shapeRows } from './rows/shape.js';

export { conformanceTests, type ConformanceTest, type ErrorInput, type Kwargs, type OpRow, type Rows, type Skip } from './op-row.js';

/** Small operands for the error inputs. */
const floats = (b: string) => tensor([1, 2, 3], { backend: b });
const ints = (b: string) => tensor([1, 2, 3], { dtype: 'int32', backend: b });
const bools = (b: string) => tensor([true, false], { backend: b });

/** split/chunk return several tensors: piece i scaled by (i + 1), then joined again (the generator does the same in torch). */
const weighted = (pieces: Tensor[], dim: number): Tensor => concat(pieces.map((p, i) => p.mul(i + 1)), dim);

const coreRows = {
  // ---- elementwise unary ----
  neg: un((x) => x.neg(), { errors: [
    { name: 'a bool tensor (PyTorch: use logicalNot)', call: (b) => bools(b).neg(), error: DtypeError, message: /neg.*negation.*bool tensor is not supported/ },
  ] }),
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
  clamp: un((x, k) => x.clamp(k.min, k.max), { errors: [
    { name: 'a string bound', call: (b) => floats(b).clamp('a' as never), error: ArgumentError, message: /^clamp: expected min to be a number or a boolean, got string 'a'/ },
  ] }),

  // ---- elementwise binary and ternary ----
  add: bin((a, b) => a.add(b), { errors: [
    { name: "a string scalar ('1' is not coerced)", call: (b) => floats(b).add('1' as never), error: ArgumentError, message: /add.*number or a boolean, got string '1'/ },
    { name: 'a null scalar', call: (b) => floats(b).add(null as never), error: ArgumentError, message: /add.*got null/ },
    { name: 'an array scalar', call: (b) => floats(b).add([1] as never), error: ArgumentError, message: /add.*got object \[1\]/ },
    { name: 'int32 plus 2^40 (would wrap around)', call: (b) => ints(b).add(2 ** 40), error: DtypeError, message: /add.*1099511627776.*int32 without overflow/ },
  ] }),
  sub: bin((a, b) => a.sub(b), { errors: [
    { name: 'two bool tensors (PyTorch: use logicalXor)', call: (b) => bools(b).sub(bools(b)), error: DtypeError, message: /sub.*two bool tensors is not supported/ },
    { name: 'a bool tensor minus a number', call: (b) => bools(b).sub(1), error: DtypeError, message: /sub.*with a bool tensor is not supported/ },
    { name: 'a number minus a bool tensor', call: (b) => sub(1, bools(b)), error: DtypeError, message: /sub.*with a bool tensor is not supported/ },
    { name: 'a float tensor minus a bool tensor', call: (b) => floats(b).sub(bools(b)), error: DtypeError, message: /sub.*with a bool tensor is not supported/ },
  ] }),
  mul: bin((a, b) => a.mul(b), { ...second, errors: [
    { name: 'an undefined scalar', call: (b) => floats(b).mul(undefined as never), error: ArgumentError, message: /mul.*got undefined/ },
  ] }),
  div: bin((a, b) => a.div(b), second),
  pow: bin((a, b, k) => a.pow(b ?? k.exponent), { ...second, errors: [
    { name: 'int32 to a negative integer power', call: (b) => ints(b).pow(-1), error: ArgumentError, message: /pow.*integers to negative integer powers are not allowed/ },
  ] }),
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
  sum: un((x, k) => x.sum(k.dim, k.keepdim), { ...second, errors: [
    { name: "a string dim ('1' is not coerced)", call: (b) => floats(b).sum('1' as never), error: ArgumentError, message: /sum.*dim.*got string '1'/ },
    { name: 'a string in a list of dims', call: (b) => floats(b).sum([0, 'a'] as never), error: ArgumentError, message: /sum.*integer dim.*got string 'a'/ },
  ] }),
  mean: un((x, k) => x.mean(k.dim, k.keepdim), second),
  var: un((x, k) => x.var(k.dim, { correction: k.correction, keepdim: k.keepdim }), second),
  std: un((x, k) => x.std(k.dim, { correction: k.correction, keepdim: k.keepdim })),
  prod: un((x, k) => x.prod(k.dim, k.keepdim)),
  max: withIndices((x, k) => (k.dim === undefined ? x.max() : x.max(k.dim, k.keepdim))),
  min: withIndices((x, k) => (k.dim === undefined ? x.min() : x.min(k.dim, k.keepdim))),
  amax: un((x, k) => x.amax(k.dim, k.keepdim)),
  amin: un((x, k) => x.amin(k.dim, k.keepdim)),
  all: un((x, k) => x.all(k.dim, k.keepdim), values),
  any: un((x, k) => x.any(k.dim, k.keepdim), values),
  argmax: un((x, k) => x.argmax(k.dim, k.keepdim), values),
  argmin: un((x, k) => x.argmin(k.dim, k.keepdim), values),
  logsumexp: un((x, k) => x.logsumexp(k.dim, k.keepdim), { ...second, ...bigLogits('logsumexp') }),
  softmax: un((x, k) => x.softmax(k.dim), { ...second, ...bigLogits('softmax') }),
  logSoftmax: un((x, k) => x.logSoftmax(k.dim), { ...second, ...bigLogits('logSoftmax') }),
  cumsum: un((x, k) => x.cumsum(k.dim)),
  norm: un((x, k) => x.norm(k.p, k.dim, k.keepdim), {
    ...second,
    errors: [
      { name: "p = 'nuc' (not supported)", call: (b) => floats(b).norm('nuc' as never), error: ArgumentError, message: /^norm: expected p to be a number or 'fro', got 'nuc'/ },
    ],
    skips: [{ test: 'gradgradcheck', case: 'norm_p2_zero_row', reason: '‖x‖₂ has no second derivative at x = 0 (the Hessian grows like 1/‖x‖); its first derivative there (the subgradient 0, as PyTorch) is checked by backward and gradcheck' }],
  }),

  // ---- linear algebra ----
  matmul: bin((a, b) => a.matmul(b as Tensor), { ...second, errors: [
    { name: 'a nested array instead of a tensor', call: (b) => floats(b).matmul([[1]] as never), error: ArgumentError, message: /matmul.*got object \[\[1\]\]/ },
  ] }),
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
  reshape: un((x, k) => x.reshape(k.shape), { errors: [
    { name: 'a fractional size', call: (b) => floats(b).reshape(1.5), error: ShapeError, message: /reshape.*\[1\.5\]/ },
    { name: 'a NaN size', call: (b) => floats(b).reshape([NaN, 2]), error: ShapeError, message: /reshape.*\[NaN, 2\]/ },
  ] }),
  view: un((x, k) => x.view(k.shape), {
    errors: [{ name: 'negative sizes', call: (b) => floats(b).view([-1, -2]), error: ShapeError, message: /view.*\[-1, -2\]/ }],
    skips: [{ test: 'noncontiguous', reason: 'view() of a non-contiguous input must throw when no strides fit (PyTorch does too); reshape covers the copying path' }],
  }),
  permute: un((x, k) => x.permute(k.dims)),
  movedim: un((x, k) => x.movedim(k.source, k.destination)),
  transpose: un((x, k) => x.transpose(k.dim0, k.dim1)),
  expand: un((x, k) => x.expand(k.shape), { errors: [
    { name: 'a fractional size', call: (b) => floats(b).reshape([3, 1]).expand([3, 2.5]), error: ShapeError, message: /^expand: sizes must be non-negative integers, got \[3, 2\.5\]/ },
    { name: 'a NaN size', call: (b) => floats(b).expand([NaN]), error: ShapeError, message: /^expand: sizes must be non-negative integers/ },
    { name: 'fewer dims than the input', call: (b) => floats(b).reshape([3, 1]).expand([3]), error: ShapeError, message: /^expand: cannot expand \[3, 1\] to fewer dims \[3\]/ },
  ] }),
  narrow: un((x, k) => x.narrow(k.dim, k.start, k.length)),
  slice: un((x, k) => x.slice(k.dim, k.start, k.end, k.step)),
  squeeze: un((x, k) => x.squeeze(k.dim)),
  unsqueeze: un((x, k) => x.unsqueeze(k.dim)),
  flatten: un((x, k) => x.flatten(k.startDim, k.endDim)),
} satisfies Rows;

const rows = { ...coreRows, ...elementwiseRows, ...scanRows, ...shapeRows, ...productRows, ...linalgRows, ...creationRows, ...lossRows };

/** Every op with a row: a union derived from the rows, so code that names ops (FUSED_OPS, tests) is checked against it. */
export type OpName = keyof typeof rows;

/**
 * Every row: the core ops above, then one file per family under rows/ (each with its generator
 * tools/gen_ops_<family>.py), keyed by OpName. A fixture's op (a string) is looked up with `rowOf`;
 * the string index stays for callers that index by a fixture's op directly (backend-gpu's tests).
 */
export const opTable: { readonly [op in OpName]: OpRow } & { readonly [op: string]: OpRow } = rows;

/** The row of a fixture op, if it has one (the conformance suite reports fixture ops without a row). */
export const rowOf = (op: string): OpRow | undefined => (Object.hasOwn(opTable, op) ? opTable[op as OpName] : undefined);

/** Every op name with a row. */
export const opNames = Object.keys(opTable) as OpName[];

/** The tolerance of one case in one dtype: caseTol, else the row's tol, else the defaults. */
export function caseTolerance(row: OpRow, caseName: string, dtype: DType): Tol {
  return tolFor(dtype, { ...row.tol, ...row.caseTol?.[caseName] });
}

/** The skip that applies to (op row, test, backend, dtype, case), if any. */
export function findSkip(row: OpRow, test: ConformanceTest, backend: string, dtype?: DType, caseName?: string): Skip | undefined {
  return row.skips?.find((s) => s.test === test && (s.backend === undefined || s.backend === backend)
    && (s.dtype === undefined || dtype === undefined || s.dtype === dtype) && (s.case === undefined || s.case === caseName));
}
