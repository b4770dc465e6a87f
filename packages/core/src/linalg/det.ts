/**
 * Determinants: det and slogdet from an LU factorization on the host (float64), results built on
 * A's backend; backward in Tensor ops (PyTorch's formulas), so second derivatives work.
 */
import { Function } from '../autograd/function.js';
import type { Tensor } from '../tensor.js';
import { luFactor } from './host.js';
import { svd } from './svd.js';
import { inv } from './solve.js';
import { batchOf, checkMatrix, eyeLike, hostMatrices, hostTensor, mT } from './util.js';

/** float eps per dtype: PyTorch treats |det| < 100·eps as singular when choosing det's backward formula. */
const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/** sign(det A) and log|det A| of each matrix: PA = LU gives det = ±Π uᵢᵢ. */
function lowerUpperDets(a: Tensor): { sign: Float64Array; logabs: Float64Array } {
  const n = a.shape[a.ndim - 1];
  const mats = hostMatrices(a);
  const sign = new Float64Array(mats.length);
  const logabs = new Float64Array(mats.length);
  mats.forEach((m, b) => {
    const { lu, parity } = luFactor(m, n);
    let s = parity;
    let l = 0;
    for (let i = 0; i < n; i++) { const u = lu[i * n + i]; s *= Math.sign(u); l += Math.log(Math.abs(u)); }
    [sign[b], logabs[b]] = s === 0 ? [0, -Infinity] : [s, l];
  });
  return { sign, logabs };
}

class Det extends Function {
  private singular = false;
  forward(a: Tensor): Tensor {
    const { sign, logabs } = lowerUpperDets(a);
    const dets = sign.map((s, b) => s * Math.exp(logabs[b]));
    this.singular = dets.some((d) => Math.abs(d) < 100 * EPS[a.dtype as 'float32' | 'float64']);
    const out = hostTensor(a, batchOf(a), Array.from(dets, (d) => [d]));
    this.save(a, out);
    return out;
  }
  // Invertible: g·det·A⁻ᵀ. Near-singular: the cofactor matrix from A = U diag(s) Vᵀ,
  // g·det(U)det(Vᵀ)·U diag(Πⱼ≠ᵢ sⱼ) Vᵀ, finite at singular A (PyTorch's linalg_det_backward).
  backward(g: Tensor): (Tensor | null)[] {
    const [a, det] = this.savedTensors;
    const n = a.shape[a.ndim - 1];
    if (!this.singular) return [inv(mT(a)).mul(g.mul(det).unsqueeze(-1).unsqueeze(-1))];
    const { U, S, Vh } = svd(a);
    const alpha = new Det().apply(U).mul(new Det().apply(Vh));
    const eye = eyeLike(a, n);
    const othersProduct = S.unsqueeze(-2).mul(eye.neg().add(1)).add(eye).prod(-1); // Πⱼ≠ᵢ sⱼ
    const dS = othersProduct.mul(g.mul(alpha).unsqueeze(-1));
    return [U.mul(dS.unsqueeze(-2)).matmul(Vh)];
  }
}

/** log|det A| (its sign is kept on the node: not differentiable). */
class Slogdet extends Function {
  sign: Float64Array = new Float64Array(0);
  forward(a: Tensor): Tensor {
    const { sign, logabs } = lowerUpperDets(a);
    this.sign = sign;
    this.save(a);
    return hostTensor(a, batchOf(a), Array.from(logabs, (l) => [l]));
  }
  // g·A⁻ᵀ (PyTorch's slogdet_backward for real A).
  backward(g: Tensor): (Tensor | null)[] {
    const [a] = this.savedTensors;
    return [inv(mT(a)).mul(g.unsqueeze(-1).unsqueeze(-1))];
  }
}

/** det A of each square matrix [..., n, n] → [...]; its gradient stays finite at singular A (the cofactor matrix). */
export function det(a: Tensor): Tensor {
  checkMatrix('det', a);
  return new Det().apply(a);
}

/** sign(det A) and log|det A| (sign 0 and −∞ for singular A); only logabsdet is differentiable. */
export function slogdet(a: Tensor): { sign: Tensor; logabsdet: Tensor } {
  checkMatrix('slogdet', a);
  const node = new Slogdet();
  const logabsdet = node.apply(a);
  const sign = hostTensor(a, batchOf(a), Array.from(node.sign, (s) => [s]));
  return { sign, logabsdet };
}
