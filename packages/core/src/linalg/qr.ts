/**
 * QR by Householder reflections on the host (float64, LAPACK's sign convention so Q and R match
 * PyTorch's), results built on A's backend; backward is PyTorch's linalg_qr_backward in Tensor ops.
 */
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { householderQr } from './host.js';
import { decompositionOutputs, type ShareRule } from './outputs.js';
import { batchOf, checkMatrix, checkOption, diagEmbed, diagonal, hostMatrices, hostTensor, mT } from './util.js';
import { solveTriangular } from './solve.js';

export type QrMode = 'reduced' | 'complete' | 'r';

/**
 * gA's share from gQ (index 0) or gR (index 1); the formula is linear in (gQ, gR), with
 * X = gR Rᵀ − Qᵀ gQ. m ≥ n: gA = (Q·sym(X) + gQ) R⁻ᵀ, sym(X) = triu(X) + triu(X)ᵀ − diag(X).
 * m < n: gA = [Q·tril(Y − Yᵀ) R₁⁻ᵀ, 0] + Q gR with Y = −X and R₁ = R[:, :m].
 */
const qrShare = (mode: QrMode): ShareRule => (a, [q, r], index, g) => {
  const [m, n] = a.shape.slice(-2);
  if (mode === 'complete' && m > n) {
    throw new ArgumentError('qr', `the QR decomposition is not differentiable when mode = 'complete' and nrows > ncols (got ${m}×${n}); expected mode 'reduced'`);
  }
  const x = index === 0 ? mT(q).matmul(g).neg() : g.matmul(mT(r));
  if (m >= n) {
    const upper = x.triu();
    const sym = upper.add(mT(upper)).sub(diagEmbed(diagonal(upper)));
    const qs = q.matmul(sym);
    return solveTriangular(mT(r), index === 0 ? qs.add(g) : qs, { upper: false, left: false });
  }
  const y = x.neg();
  const skew = y.sub(mT(y)).tril();
  const ga = solveTriangular(mT(r.narrow(-1, 0, m)), q.matmul(skew), { upper: false, left: false }).pad([0, n - m]);
  return index === 1 ? ga.add(q.matmul(g)) : ga;
};

const rOnly: ShareRule = () => {
  throw new ArgumentError('qr', "the derivative of qr depends on Q, which is not computed when mode = 'r'; expected mode 'reduced' to differentiate through qr");
};

export interface QrOptions {
  /** 'reduced' (default): Q [m, k], R [k, n] with k = min(m, n); 'complete': Q [m, m], R [m, n]; 'r': R only (Q is empty). */
  mode?: QrMode;
}

/** A = QR with orthonormal columns of Q and upper-triangular R, for A [..., m, n]. */
export function qr(a: Tensor, { mode = 'reduced' }: QrOptions = {}): { Q: Tensor; R: Tensor } {
  checkMatrix('qr', a, { square: false });
  checkOption('qr', 'mode', mode, ['reduced', 'complete', 'r']);
  const [m, n] = a.shape.slice(-2);
  const qCols = mode === 'complete' ? m : Math.min(m, n);
  const batch = batchOf(a);
  const factors = hostMatrices(a).map((x) => householderQr(x, m, n, qCols));
  const rv = hostTensor(a, [...batch, qCols, n], factors.map((f) => f.r));
  if (mode === 'r') {
    const [R] = decompositionOutputs('qr', a, [rv], rOnly);
    return { Q: hostTensor(a, [0], []), R };
  }
  const qv = hostTensor(a, [...batch, m, qCols], factors.map((f) => f.q));
  const [Q, R] = decompositionOutputs('qr', a, [qv, rv], qrShare(mode));
  return { Q, R };
}
