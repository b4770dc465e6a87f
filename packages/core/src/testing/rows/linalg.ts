/**
 * Op-table rows: linear algebra, the linalg namespace (tools/gen_ops_linalg.py). Eigenvectors and
 * singular vectors have no defined sign, so those rows return the sign-invariant compositions the
 * generator records; cholesky and eigh symmetrize their input unless the case is `raw` (see the
 * generator's docstring).
 */
import { concat, stack, tensor } from '../../index.js';
import { ArgumentError, DtypeError, ShapeError } from '../../errors.js';
import * as linalg from '../../linalg/index.js';
import type { Tensor } from '../../tensor.js';
import { type ErrorInput, type Rows } from '../op-row.js';

const mT = (x: Tensor) => x.transpose(-2, -1);
const sym = (x: Tensor) => x.add(mT(x)).div(2);
const on = (backend: string, data: number[][] | number[][][] | number[], dtype: 'float32' | 'int32' = 'float32') => tensor(data, { backend, dtype });

const I2 = [[1, 0], [0, 1]];
/** Error inputs every square-matrix op shares: non-square, rank 1, int dtype. */
const squareErrors = (op: string, f: (a: Tensor) => unknown): ErrorInput[] => [
  { name: 'non-square matrix', call: (b) => f(on(b, [[1, 2, 3], [4, 5, 6]])), error: ShapeError, message: new RegExp(`^${op}: .*\\[2, 3\\].*expected a batch of square matrices`) },
  { name: 'a 1-d tensor', call: (b) => f(on(b, [1, 2])), error: ShapeError, message: new RegExp(`^${op}: .*\\[2\\].*expected at least 2 dims`) },
  { name: 'int32 input', call: (b) => f(on(b, I2, 'int32')), error: DtypeError, message: new RegExp(`^${op}: got dtype int32, expected float32 or float64`) },
];
const rectErrors = (op: string, f: (a: Tensor) => unknown): ErrorInput[] => squareErrors(op, f).filter((e) => e.name !== 'non-square matrix');

/** A singular matrix (row 1 = 2 · row 0): exactly zero pivot in float32 and float64. */
const SINGULAR = [[1, 2], [2, 4]];

export const linalgRows = {
  cholesky: {
    fn: ([a], k) => linalg.cholesky(k.raw ? a : sym(a), { upper: k.upper }),
    differentiable: true,
    secondOrder: true,
    errors: [
      ...squareErrors('cholesky', (a) => linalg.cholesky(a)),
      { name: 'not positive-definite', call: (b) => linalg.cholesky(on(b, [[1, 2], [2, 1]])), error: ArgumentError, message: /^cholesky: the factorization could not be completed because the input is not positive-definite \(the leading minor of order 2 is not positive-definite\)/ },
    ],
  },
  solve: {
    fn: ([a, b], k) => linalg.solve(a, b, { left: k.left }),
    differentiable: true,
    secondOrder: true,
    errors: [
      ...squareErrors('solve', (a) => linalg.solve(a, a.ndim > 1 ? a.narrow(-1, 0, 1) : a)),
      { name: 'singular matrix', call: (b) => linalg.solve(on(b, SINGULAR), on(b, [1, 1])), error: ArgumentError, message: /^solve: the solver failed because the input matrix is singular/ },
      { name: 'B with the wrong number of rows', call: (b) => linalg.solve(on(b, I2), on(b, [[1, 2, 3]])), error: ShapeError, message: /^solve: incompatible shapes of A \[2, 2\] and B \[1, 3\] for the equation AX = B/ },
      { name: 'batch dims that do not broadcast', call: (b) => linalg.solve(on(b, [I2, I2]), on(b, [[[1], [1]], [[1], [1]], [[1], [1]]])), error: ShapeError, message: /^solve: batch dims \[2\] and \[3\] do not broadcast/ },
      { name: 'B of another dtype', call: (b) => linalg.solve(on(b, I2), tensor([1, 1], { backend: b, dtype: 'int32' })), error: DtypeError, message: /^solve: got A of float32 and B of int32/ },
    ],
  },
  solveTriangular: {
    fn: ([a, b], k) => linalg.solveTriangular(a, b, { upper: k.upper, left: k.left, unitriangular: k.unitriangular }),
    differentiable: true,
    secondOrder: true,
    errors: [
      ...squareErrors('solveTriangular', (a) => linalg.solveTriangular(a, a, { upper: true })),
      { name: 'a vector B', call: (b) => linalg.solveTriangular(on(b, I2), on(b, [1, 1]), { upper: true }), error: ShapeError, message: /^solveTriangular: .*expected a matrix B with 2 rows/ },
      { name: 'upper missing', call: (b) => linalg.solveTriangular(on(b, I2), on(b, I2), {} as never), error: ArgumentError, message: /^solveTriangular: got upper = undefined, expected true or false/ },
    ],
  },
  inv: {
    fn: ([a]) => linalg.inv(a),
    differentiable: true,
    secondOrder: true,
    errors: [
      ...squareErrors('inv', linalg.inv),
      { name: 'singular matrix', call: (b) => linalg.inv(on(b, SINGULAR)), error: ArgumentError, message: /^inv: the solver failed because the input matrix is singular/ },
    ],
  },
  det: { fn: ([a]) => linalg.det(a), differentiable: true, secondOrder: true, errors: squareErrors('det', linalg.det) },
  slogdet: {
    fn: ([a]) => { const { sign, logabsdet } = linalg.slogdet(a); return stack([sign, logabsdet], -1); },
    differentiable: true,
    secondOrder: true,
    errors: squareErrors('slogdet', linalg.slogdet),
  },
  qr: {
    fn: ([a], k) => {
      const { Q, R } = linalg.qr(a, { mode: k.mode });
      return k.mode === 'r' ? R : concat([Q.flatten(-2), R.flatten(-2)], -1);
    },
    differentiable: true,
    secondOrder: true,
    errors: [
      ...rectErrors('qr', (a) => linalg.qr(a)),
      { name: 'unknown mode', call: (b) => linalg.qr(on(b, I2), { mode: 'full' as never }), error: ArgumentError, message: /^qr: got mode = "full", expected one of "reduced", "complete", "r"/ },
      { name: "backward through mode 'r'", call: (b) => linalg.qr(on(b, I2).requiresGrad_(), { mode: 'r' }).R.sum().backward(), error: ArgumentError, message: /^qr: the derivative of qr depends on Q/ },
      { name: "backward through mode 'complete' of a tall matrix", call: (b) => linalg.qr(on(b, [[1, 2], [3, 4], [5, 7]]).requiresGrad_(), { mode: 'complete' }).Q.sum().backward(), error: ArgumentError, message: /^qr: the QR decomposition is not differentiable when mode = 'complete' and nrows > ncols/ },
    ],
  },
  eigh: {
    fn: ([a], k) => {
      const { eigenvalues: w, eigenvectors: v } = linalg.eigh(k.raw ? a : sym(a), { UPLO: k.UPLO });
      return concat([w.unsqueeze(-2), v.mul(w.exp().unsqueeze(-2)).matmul(mT(v))], -2);
    },
    differentiable: true,
    secondOrder: true,
    errors: [
      ...squareErrors('eigh', (a) => linalg.eigh(a)),
      { name: 'unknown UPLO', call: (b) => linalg.eigh(on(b, I2), { UPLO: 'X' as never }), error: ArgumentError, message: /^eigh: got UPLO = "X", expected one of "L", "U"/ },
    ],
  },
  svd: {
    fn: ([a], k) => {
      const { U, S, Vh } = linalg.svd(a, { fullMatrices: k.fullMatrices });
      const r = S.shape[S.ndim - 1];
      const usv = U.narrow(-1, 0, r).mul(S.square().unsqueeze(-2)).matmul(Vh.narrow(-2, 0, r));
      return concat([usv.flatten(-2), S], -1);
    },
    differentiable: true,
    secondOrder: true,
    errors: rectErrors('svd', (a) => linalg.svd(a)),
  },
  svdvals: { fn: ([a]) => linalg.svdvals(a), differentiable: true, secondOrder: true, errors: rectErrors('svdvals', linalg.svdvals) },
  pinv: {
    fn: ([a], k) => (k.hermitian ? linalg.pinv(sym(a), { hermitian: true }) : linalg.pinv(a)),
    differentiable: true,
    secondOrder: true,
    errors: rectErrors('pinv', (a) => linalg.pinv(a)),
  },
  matrixNorm: {
    fn: ([a], k) => linalg.matrixNorm(a, { ord: k.ord, dim: k.dim, keepdim: k.keepdim }),
    differentiable: true,
    secondOrder: true,
    errors: [
      ...rectErrors('matrixNorm', (a) => linalg.matrixNorm(a)),
      { name: 'unsupported ord', call: (b) => linalg.matrixNorm(on(b, I2), { ord: 3 }), error: ArgumentError, message: /^matrixNorm: got ord = 3, expected one of 'fro', 'nuc'/ },
      { name: 'one dim twice', call: (b) => linalg.matrixNorm(on(b, I2), { dim: [1, -1] }), error: ShapeError, message: /^matrixNorm: got dim = \[1, -1\], expected two different dims/ },
      { name: 'dim out of range', call: (b) => linalg.matrixNorm(on(b, I2), { dim: [0, 2] }), error: ShapeError, message: /^matrixNorm: dim 2 is out of range for a tensor of shape \[2, 2\]/ },
    ],
  },
  matrixExp: { fn: ([a]) => linalg.matrixExp(a), differentiable: true, secondOrder: true, errors: squareErrors('matrixExp', linalg.matrixExp) },
} satisfies Rows;
