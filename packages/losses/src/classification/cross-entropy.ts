import { softmaxCrossEntropy, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { pickNll } from '../parts/class-nll.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['C'], 'Per-class weights [C].'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this class index contribute nothing (index targets only).'),
  labelSmoothing: opt.number(0, 'ε: the target becomes (1 − ε)·onehot + ε/C.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type CrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Softmax cross-entropy, PyTorch's `F.cross_entropy`.
 *
 * ℓᵢ = −Σ_c w_c qᵢ_c log softmax(xᵢ)_c, with qᵢ the one-hot target (index targets) or the given
 * distribution (probability targets), smoothed to (1 − ε)q + ε/C. log softmax is a max-shifted
 * logsumexp, so logits of ±1e4 stay finite. 'mean' divides by Σ w_{yᵢ} over non-ignored targets
 * (index targets) or by the number of samples (probability targets), as PyTorch does.
 *
 * @param input logits [N, C] or [N, C, d1, ...]
 * @param target class indices [N] / [N, d1, ...] (int32), or probabilities shaped like input
 * @returns a scalar, or [N, d1, ...] with reduction 'none'
 * @see Cox, "The regression analysis of binary sequences", JRSS B 1958 (multinomial logistic regression)
 */
export function crossEntropy(...args: Call<[input: Tensor, target: Tensor], CrossEntropyOptions>): Tensor {
  const [input, target, { weight, ignoreIndex, labelSmoothing: eps, reduction }] = entry.check(args);
  // The common call (index targets, no weights, no smoothing): core's fused op, one pass per row
  // and a backward of (softmax − onehot)·g without a dense scatter.
  if (target.dtype === 'int32' && !weight && eps === 0) return softmaxCrossEntropy(input, target, { ignoreIndex, reduction });
  const c = input.shape[1];
  // Classes last: [N, d1, ..., C], so K-dimensional inputs reduce like plain [N, C].
  const logp = input.movedim(1, -1).logSoftmax(-1);
  const classWeight = weight ?? logp.newOnes([c]);
  if (target.dtype !== 'int32') {
    const q = eps > 0 ? target.movedim(1, -1).mul(1 - eps).add(eps / c) : target.movedim(1, -1);
    const values = logp.mul(q).mul(classWeight).sum(-1).neg();
    return applyReduction(values, { reduction });
  }
  // Index targets: nll-loss on logSoftmax (the part both share), plus the smoothing term.
  const { values: nll, weights: wy } = pickNll(logp, target, weight, ignoreIndex);
  let values = nll;
  if (eps > 0) {
    const smooth = logp.mul(classWeight).sum(-1).neg().mul(target.ne(ignoreIndex).cast(logp.dtype));
    values = values.mul(1 - eps).add(smooth.mul(eps / c));
  }
  return applyReduction(values, { reduction, meanOver: wy.sum() });
}

export const entry = defineLoss({
  id: 'cross-entropy',
  fn: crossEntropy,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label', or: { shape: ['N', 'C', '...'], dtype: 'float', domain: 'simplex' } },
  ],
  options,
  output: 'per-sample',
});
