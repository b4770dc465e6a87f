/**
 * torch.linalg for graft: decompositions run on the host in float64 and their results are put back
 * on the input's backend; every op is differentiable (twice) with PyTorch's backward formulas.
 */
export { cholesky, type CholeskyOptions } from './cholesky.js';
export { solve, solveTriangular, inv, type SolveOptions, type SolveTriangularOptions } from './solve.js';
export { det, slogdet } from './det.js';
export { qr, type QrMode, type QrOptions } from './qr.js';
export { eigh, type EighOptions } from './eigh.js';
export { svd, svdvals, pinv, type SvdOptions, type PinvOptions } from './svd.js';
export { matrixNorm, type MatrixNormOptions, type MatrixNormOrd } from './norms.js';
export { matrixExp } from './matrix-exp.js';
