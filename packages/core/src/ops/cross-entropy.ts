/**
 * Softmax cross-entropy with class-index targets, fused: the common call of PyTorch's
 * `F.cross_entropy` (no class weights, no label smoothing) as one op instead of logSoftmax → gather
 * → mean. Forward is one logsumexp pass per row, ℓᵢ = lseᵢ − xᵢ[tᵢ], saving lse ([N], not a
 * log-softmax [N, C]); backward is (softmax − onehot)·gᵢ per row, exp(x − lse) computed once and the
 * onehot subtracted in place (no dense scatter). A backend without the fused kernels
 * (`FusedKernels.crossEntropy` / `crossEntropyBackward`) gets the same numbers composed from
 * logsumexp, gather and softmax.
 */
import { Function } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { requireAll } from '../checks.js';
import { isFloat } from '../dtype.js';
import { ArgumentError, DtypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import { oneHot } from './indexing.js';
import * as p from './primitives.js';
import { fusedKernelsPreferred } from './reduce.js';

/** lse and per-row loss from core ops (the definition the fused kernels must match). */
function composed(x: Tensor, target: Tensor, ignoreIndex: number): { loss: Tensor; lse: Tensor } {
  const [n, c] = x.shape;
  // C = 0: every target is ignoreIndex (checked); an empty row's logsumexp is −∞ and its loss 0.
  if (c === 0) return { loss: d.full(x, [n], 0), lse: d.full(x, [n], -Infinity) };
  const lse = x.logsumexp(-1);
  const keep = target.ne(ignoreIndex);
  const picked = x.gather(-1, keep.where(target, 0).unsqueeze(-1)).squeeze(-1);
  return { loss: keep.where(lse.sub(picked), 0), lse };
}

/** x [N, C], target [N] int32 → ℓ [N]. */
class SoftmaxCrossEntropy extends Function {
  constructor(private readonly ignoreIndex: number) { super(); }
  forward(x: Tensor, target: Tensor) {
    const { loss, lse } = (fusedKernelsPreferred() && p.fusedCrossEntropy(x, target, this.ignoreIndex)) || composed(x, target, this.ignoreIndex);
    this.save(x, target, lse);
    return loss;
  }
  backward(g: Tensor) {
    const [x, target, lse] = this.savedTensors;
    // Recording (createGraph): a backward made of differentiable ops, so second derivatives work.
    if (!isGradEnabled() && fusedKernelsPreferred()) {
      const fast = p.fusedCrossEntropyBackward(x, lse, target, g, this.ignoreIndex);
      if (fast) return [fast, null];
    }
    const [, c] = x.shape;
    const keep = target.ne(this.ignoreIndex);
    const onehot = d.cast(oneHot(keep.where(target, 0), c), x.dtype);
    return [x.softmax(-1).sub(onehot).mul(keep.where(g, 0).unsqueeze(-1)), null];
  }
}

export interface SoftmaxCrossEntropyOptions {
  /** Targets equal to this contribute 0 and are left out of 'mean' (default −100, PyTorch's). */
  ignoreIndex?: number;
  /** 'mean' (over the targets not ignored; NaN when all are), 'sum' or 'none' (default 'mean'). */
  reduction?: 'mean' | 'sum' | 'none';
}

/**
 * Softmax cross-entropy with class-index targets (PyTorch's `F.cross_entropy` without weight or
 * label smoothing; `@graft/losses`' `crossEntropy` routes its common call here).
 *
 * ℓᵢ = logsumexp(xᵢ) − xᵢ[tᵢ], max-shifted, so logits of ±1e4 stay finite; 0 where tᵢ = ignoreIndex.
 * ∂ℓᵢ/∂xᵢ = softmax(xᵢ) − onehot(tᵢ).
 *
 * @param input logits [N, C] or [N, C, d1, ...] (float)
 * @param target class indices [N] or [N, d1, ...] (int32), each in [0, C) or equal to ignoreIndex
 * @returns a scalar, or [N, d1, ...] with reduction 'none'
 */
export function softmaxCrossEntropy(input: Tensor, target: Tensor, { ignoreIndex = -100, reduction = 'mean' }: SoftmaxCrossEntropyOptions = {}): Tensor {
  const op = 'softmaxCrossEntropy';
  d.expectTensor(op, input, 'input');
  d.expectTensor(op, target, 'target');
  if (!isFloat(input.dtype)) throw new DtypeError(op, `expected float logits, got ${input.dtype}`);
  if (target.dtype !== 'int32') throw new DtypeError(op, `expected int32 class-index targets, got ${target.dtype}`);
  if (!Number.isInteger(ignoreIndex)) throw new ArgumentError(op, `expected ignoreIndex to be an integer, got ${ignoreIndex}`);
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ArgumentError(op, `expected reduction 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (input.ndim < 2 || target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(op, `expected input [N, C, ...] and target [N, ...], got input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)}`);
  }
  const c = input.shape[1];
  requireAll(target.eq(ignoreIndex).logicalOr(target.ge(0).logicalAnd(target.lt(c))), () =>
    new IndexError(op, `a target is out of range for ${c} classes (expected 0 <= target < ${c}, or ignoreIndex ${ignoreIndex})`));
  // Classes last, one row per target: [N, C] stays as it is.
  const x = input.ndim === 2 ? input : input.movedim(1, -1).reshape([-1, c]);
  const t = target.ndim === 1 ? target : target.reshape([-1]);
  const rows = new SoftmaxCrossEntropy(ignoreIndex).apply(x, t);
  if (reduction === 'none') return target.ndim === 1 ? rows : rows.reshape(target.shape);
  if (reduction === 'sum') return rows.sum();
  return rows.sum().div(t.ne(ignoreIndex).sum());
}
