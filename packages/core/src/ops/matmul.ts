/** Matrix products, with PyTorch's rules for 1-d operands and broadcast batch dims. */
import { Function } from '../autograd/function.js';
import { DtypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import * as p from './primitives.js';
import { sumTo } from './reduce.js';

/** a [..., M, K] @ b [..., K, N], batch dims broadcast; gradients summed back over them. */
class Matmul extends Function {
  forward(a: Tensor, b: Tensor) {
    this.save(a, b);
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const [m, k] = a.shape.slice(-2);
    const n = b.shape[b.ndim - 1];
    const av = d.broadcastView(a, [...batch, m, k]);
    const bv = d.broadcastView(b, [...batch, k, n]);
    return p.matmul(av, bv, [...batch, m, n]);
  }
  backward(g: Tensor) {
    const [a, b] = this.savedTensors;
    return [
      this.needsInputGrad[0] ? sumTo(g.matmul(b.transpose(-2, -1)), a.shape) : null,
      this.needsInputGrad[1] ? sumTo(a.transpose(-2, -1).matmul(g), b.shape) : null,
    ];
  }
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  d.expectTensor('matmul', b, 'the second operand');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError('matmul', `both operands need at least 1 dim, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.dtype === 'bool' || b.dtype === 'bool') throw new DtypeError('matmul', `expected numeric tensors, got ${a.dtype} and ${b.dtype}`);
  const [x, y] = d.coerce('matmul', a, b);
  // 1-d operands become a row (left) or a column (right), and that dim is dropped again after.
  const x2 = x.ndim === 1 ? x.unsqueeze(0) : x;
  const y2 = y.ndim === 1 ? y.unsqueeze(1) : y;
  const k1 = x2.shape[x2.ndim - 1];
  const k2 = y2.shape[y2.ndim - 2];
  if (k1 !== k2) {
    throw new ShapeError('matmul', `shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (inner sizes ${k1} and ${k2} differ)`);
  }
  let out = new Matmul().apply(x2, y2);
  if (y.ndim === 1) out = out.squeeze(-1);
  if (x.ndim === 1) out = out.squeeze(y.ndim === 1 ? -1 : -2);
  return out;
}

export function dot(a: Tensor, b: Tensor): Tensor {
  d.expectTensor('dot', b, 'the second operand');
  if (a.ndim !== 1 || b.ndim !== 1 || a.size !== b.size) {
    throw new ShapeError('dot', `expected two 1-d tensors of one length, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  return matmul(a, b);
}

export function outer(a: Tensor, b: Tensor): Tensor {
  d.expectTensor('outer', b, 'the second operand');
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError('outer', `expected two 1-d tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}
