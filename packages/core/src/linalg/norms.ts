/** Matrix norms, composed from abs-sums and svdvals (so they are differentiable to any order). */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { svdvals } from './svd.js';
import { checkMatrix } from './util.js';

export type MatrixNormOrd = 'fro' | 'nuc' | 1 | -1 | 2 | -2 | number;

export interface MatrixNormOptions {
  /** 'fro' (default), 'nuc', 1, -1, 2, -2, Infinity or -Infinity (PyTorch's ord). */
  ord?: MatrixNormOrd;
  /** The two dims holding the matrices (default [-2, -1]). */
  dim?: readonly [number, number];
  keepdim?: boolean;
}

const ORDS: readonly MatrixNormOrd[] = ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity];

/**
 * ‖A‖ over two dims: 'fro' = √Σ aᵢⱼ², 'nuc' = Σ sᵢ, ±2 = max/min sᵢ, ±1 = max/min column abs-sum,
 * ±∞ = max/min row abs-sum (PyTorch's linalg.matrix_norm).
 */
export function matrixNorm(a: Tensor, { ord = 'fro', dim = [-2, -1], keepdim = false }: MatrixNormOptions = {}): Tensor {
  const op = 'matrixNorm';
  checkMatrix(op, a, { square: false });
  if (!ORDS.includes(ord)) {
    throw new ArgumentError(op, `got ord = ${JSON.stringify(ord)}, expected one of 'fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity`);
  }
  if (!Array.isArray(dim) || dim.length !== 2) throw new ShapeError(op, `got dim = ${JSON.stringify(dim)}, expected two dims`);
  const [d0, d1] = dim.map((d) => {
    if (!Number.isInteger(d) || d < -a.ndim || d >= a.ndim) throw new ShapeError(op, `dim ${d} is out of range for a tensor of shape ${fmtShape(a.shape)}`);
    return d < 0 ? d + a.ndim : d;
  });
  if (d0 === d1) throw new ShapeError(op, `got dim = [${dim.join(', ')}], expected two different dims`);
  const squeezeBoth = (x: Tensor) => (keepdim ? x : x.squeeze([d0, d1]));
  if (ord === 'fro') return a.square().sum([d0, d1], keepdim).sqrt();
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // ±1: abs-sum down each column (over d0), then max/min over columns; ±∞: rows (over d1), then over d0.
    const [sumDim, pickDim] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
    const sums = a.abs().sum(sumDim, true);
    return squeezeBoth(ord > 0 ? sums.amax(pickDim, true) : sums.amin(pickDim, true));
  }
  // 'nuc' and ±2 need the singular values of the matrices in dims (d0, d1).
  const rest = [...Array(a.ndim).keys()].filter((d) => d !== d0 && d !== d1);
  const s = svdvals(a.permute([...rest, d0, d1]));
  const r = ord === 'nuc' ? s.sum(-1) : ord === 2 ? s.amax(-1) : s.amin(-1);
  if (!keepdim) return r;
  return [d0, d1].sort((x, y) => x - y).reduce((x, d) => x.unsqueeze(d), r);
}
