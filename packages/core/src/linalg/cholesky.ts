/**
 * Cholesky factorization A = L Lᵀ on the host (float64), built on A's backend; backward in Tensor
 * ops (Murray 2016 / PyTorch's cholesky_backward), so second derivatives work.
 */
import { Function } from '../autograd/function.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { cholesky as hostCholesky } from './host.js';
import { solveTriangular } from './solve.js';
import { checkMatrix, hostMatrices, hostTensor, mT } from './util.js';

/** The lower factor, read from A's lower triangle (as LAPACK's potrf with uplo 'L'). */
class CholeskyLower extends Function {
  override get opName(): string { return 'cholesky'; }
  forward(a: Tensor): Tensor {
    const n = a.shape[a.ndim - 1];
    const factors = hostMatrices(a).map((m) => hostCholesky(m, n));
    const bad = factors.find((f) => f.failedMinor > 0);
    if (bad) {
      throw new ArgumentError('cholesky', `the factorization could not be completed because the input is not positive-definite (the leading minor of order ${bad.failedMinor} is not positive-definite); expected a symmetric positive-definite matrix`);
    }
    const l = hostTensor(a, a.shape, factors.map((f) => f.l));
    this.save(l);
    return l;
  }
  // Φ = ½(tril(Lᵀ gL) + tril(Lᵀ gL, −1)ᵀ), gA = L⁻ᵀ Φ L⁻¹ (symmetric).
  backward(g: Tensor): (Tensor | null)[] {
    const [l] = this.savedTensors;
    const p = mT(l).matmul(g).tril();
    const phi = p.add(mT(p.tril(-1))).mul(0.5);
    const x = solveTriangular(mT(l), phi, { upper: true });
    return [solveTriangular(l, x, { upper: false, left: false })];
  }
}

export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (A = UᵀU), read from A's upper triangle. */
  upper?: boolean;
}

/** L with A = L Lᵀ for symmetric positive-definite A [..., n, n] (or U = Lᵀ when upper); raises naming the failing leading minor. */
export function cholesky(a: Tensor, { upper = false }: CholeskyOptions = {}): Tensor {
  checkMatrix('cholesky', a);
  // The upper factor of A is the transposed lower factor of Aᵀ (whose lower triangle is A's upper one).
  return upper ? mT(new CholeskyLower().apply(mT(a))) : new CholeskyLower().apply(a);
}
