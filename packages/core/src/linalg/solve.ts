/**
 * Linear systems: solve (LU with partial pivoting), solveTriangular, inv. The forward runs on the
 * host in float64 (linalg/host.ts) and the result is built on A's backend; backward is in Tensor ops
 * that call these same ops, so second derivatives work.
 */
import { Function } from '../autograd/function.js';
import { ArgumentError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { luFactor, luSolve, triSolveInPlace } from './host.js';
import { batchOf, broadcastBatch, checkMatrix, eyeLike, hostMatrices, hostTensor, mT } from './util.js';

/** A X = B for A [...batch, n, n] and B [...batch, n, k] of one batch shape; raises on an exactly singular A. */
class Solve extends Function {
  constructor(private readonly op: string) { super(); }
  override get opName(): string { return this.op; }
  forward(a: Tensor, b: Tensor): Tensor {
    const [n, k] = b.shape.slice(-2);
    const bs = hostMatrices(b);
    const lus = hostMatrices(a).map((m) => luFactor(m, n));
    const bad = lus.findIndex((f) => f.zeroPivot > 0);
    if (bad >= 0) {
      throw new ArgumentError(this.op, `the solver failed because the input matrix is singular (matrix ${bad} of the batch: U[${lus[bad].zeroPivot - 1}, ${lus[bad].zeroPivot - 1}] of its LU factorization is exactly zero); expected an invertible matrix`);
    }
    const x = hostTensor(a, b.shape, lus.map((f, i) => luSolve(f, n, bs[i], k)));
    this.save(a, x);
    return x;
  }
  // gB = A⁻ᵀ g, gA = −gB Xᵀ (PyTorch's linalg_solve backward).
  backward(g: Tensor): (Tensor | null)[] {
    const [a, x] = this.savedTensors;
    const gB = new Solve(this.op).apply(mT(a), g);
    return [this.needsInputGrad[0] ? gB.matmul(mT(x)).neg() : null, this.needsInputGrad[1] ? gB : null];
  }
}

/** T X = B for triangular T (the upper or lower triangle of A, unit diagonal if asked); batches equal. */
class SolveTriangular extends Function {
  constructor(private readonly upper: boolean, private readonly unit: boolean) { super(); }
  forward(a: Tensor, b: Tensor): Tensor {
    const [n, k] = b.shape.slice(-2);
    const as = hostMatrices(a);
    const xs = hostMatrices(b); // solved in place
    xs.forEach((xi, i) => triSolveInPlace(as[i], n, xi, k, this.upper, this.unit));
    const x = hostTensor(a, b.shape, xs);
    this.save(a, x);
    return x;
  }
  // gB = T⁻ᵀ g; gA = −gB Xᵀ restricted to the triangle that was read (PyTorch's linalg_solve_triangular backward).
  backward(g: Tensor): (Tensor | null)[] {
    const [a, x] = this.savedTensors;
    const gB = new SolveTriangular(!this.upper, this.unit).apply(mT(a), g);
    if (!this.needsInputGrad[0]) return [null, gB];
    const gA = gB.matmul(mT(x)).neg();
    const d = this.unit ? 1 : 0;
    return [this.upper ? gA.triu(d) : gA.tril(-d), this.needsInputGrad[1] ? gB : null];
  }
}

/** Checks B's dtype and rank; returns A and B expanded to their common batch shape. */
function broadcastSystem(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (b.dtype !== a.dtype) throw new DtypeError(op, `got A of ${a.dtype} and B of ${b.dtype}, expected one float dtype`);
  const batch = broadcastBatch(op, batchOf(a), batchOf(b));
  return [a.expand([...batch, ...a.shape.slice(-2)]), b.expand([...batch, ...b.shape.slice(-2)])];
}

export interface SolveOptions {
  /** Solve A X = B (true, default) or X A = B. */
  left?: boolean;
}

/** Internal: solve with the op name `op` in messages (inv reports as inv). */
export function solveAs(op: string, a: Tensor, b: Tensor, { left = true }: SolveOptions = {}): Tensor {
  checkMatrix(op, a);
  const n = a.shape[a.ndim - 1];
  // PyTorch 1.13: B is a vector when 1-d, or when its shape is A's without the last dim.
  const vector = b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i]));
  const bm = vector ? b.unsqueeze(-1) : b;
  if (bm.ndim < 2 || (left ? bm.shape[bm.ndim - 2] : bm.shape[bm.ndim - 1]) !== n) {
    throw new ShapeError(op, `incompatible shapes of A ${fmtShape(a.shape)} and B ${fmtShape(b.shape)} for the equation ${left ? 'AX = B' : 'XA = B'}; expected B with ${n} ${left ? 'rows' : 'columns'}`);
  }
  const [a2, b2] = broadcastSystem(op, left ? a : mT(a), left ? bm : mT(bm));
  const x = new Solve(op).apply(a2, b2);
  const xm = left ? x : mT(x);
  return vector ? xm.squeeze(-1) : xm;
}

/** X with A X = B (or X A = B when left is false), batched with broadcasting; B may be a vector (PyTorch 1.13's rule). */
export const solve = (a: Tensor, b: Tensor, opts: SolveOptions = {}): Tensor => solveAs('solve', a, b, opts);

/** A⁻¹, as solve(A, I); raises an ArgumentError for an exactly singular A. */
export function inv(a: Tensor): Tensor {
  checkMatrix('inv', a);
  // The identity at A's full batch shape: a bare [n, n] B would read as a batch of vectors when the batch is [n] (PyTorch 1.13's rule).
  return solveAs('inv', a, eyeLike(a, a.shape[a.ndim - 1]).expand(a.shape));
}

export interface SolveTriangularOptions {
  /** Whether A is upper (true) or lower (false) triangular: required, as in PyTorch. */
  upper: boolean;
  /** Solve A X = B (true, default) or X A = B. */
  left?: boolean;
  /** Take A's diagonal to be ones (it is not read). */
  unitriangular?: boolean;
}

/** X with T X = B (or X T = B), T the upper or lower triangle of A; B is a batch of matrices. */
export function solveTriangular(a: Tensor, b: Tensor, opts: SolveTriangularOptions): Tensor {
  const op = 'solveTriangular';
  checkMatrix(op, a);
  const { upper, left = true, unitriangular = false } = opts ?? ({} as SolveTriangularOptions);
  if (typeof upper !== 'boolean') throw new ArgumentError(op, `got upper = ${JSON.stringify(upper)}, expected true or false (it has no default)`);
  const n = a.shape[a.ndim - 1];
  if (b.ndim < 2 || (left ? b.shape[b.ndim - 2] : b.shape[b.ndim - 1]) !== n) {
    throw new ShapeError(op, `incompatible shapes of A ${fmtShape(a.shape)} and B ${fmtShape(b.shape)} for the equation ${left ? 'AX = B' : 'XA = B'}; expected a matrix B with ${n} ${left ? 'rows' : 'columns'}`);
  }
  // X T = B  ⇔  Tᵀ Xᵀ = Bᵀ, where Tᵀ is triangular the other way.
  const [a2, b2] = broadcastSystem(op, left ? a : mT(a), left ? b : mT(b));
  const x = new SolveTriangular(left ? upper : !upper, unitriangular).apply(a2, b2);
  return left ? x : mT(x);
}
