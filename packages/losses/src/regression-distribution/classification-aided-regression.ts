import { ArgumentError, type Tensor, linspace } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(1, 'λ: the weight of the classification term.', '[0, inf)'),
  regLoss: opt.oneOf(['mse', 'l1'], 'mse', 'The regression term: squared or absolute error.'),
  vMin: opt.number(null, 'The low end of the binned target range; null: the batch\'s smallest target.'),
  vMax: opt.number(null, 'The high end of the binned target range; null: the batch\'s largest target.'),
  reduction: opt.reduction(),
};
export type ClassificationAidedRegressionOptions = OptionsOf<typeof options>;

/**
 * Classification-aided regression: a regression head plus a cross-entropy on the target's bin.
 *
 * ℓ = L_reg(ŷ, y) + λ·CE(z, bin(y)), L_reg = (ŷ − y)² or |ŷ − y|; bin() is the uniform partition of [vMin, vMax]
 * into K bins (K = the number of logits; the catalog's num_bins = 10), bin(y) = ⌊K·(y − vMin)/(vMax − vMin)⌋
 * clamped to 0..K − 1 (no gradient). CE is max-shifted.
 *
 * @param input regression output ŷ [N]
 * @param logits bin logits z [N, K]
 * @param target targets y [N]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Pintea et al., "A step towards understanding why classification helps regression", ICCV 2023, arXiv:2308.10603
 */
export function classificationAidedRegressionLoss(...args: Call<[input: Tensor, logits: Tensor, target: Tensor], ClassificationAidedRegressionOptions>): Tensor {
  const [input, logits, target, { lambda, regLoss, vMin, vMax, reduction }] = entry.check(args);
  const K = logits.shape[1];
  const y = target.detach();
  const lo = vMin ?? y.amin().item();
  const hi = vMax ?? y.amax().item();
  if (vMin !== null && vMax !== null && !(hi > lo)) throw new ArgumentError('classificationAidedRegressionLoss', `vMax must exceed vMin, got vMin = ${lo}, vMax = ${hi}`);
  // Inner edges b_1..b_{K−1}: bucketize counts the edges ≤ y, the bin index (the top edge y = vMax falls in bin K − 1).
  const inner = linspace(lo, hi, K + 1, { dtype: y.dtype, backend: y.backendName }).narrow(0, 1, K - 1);
  const bin = K === 1 ? y.zerosLike().int() : y.bucketize(inner, { right: true });
  const d = input.sub(target);
  const reg = regLoss === 'mse' ? d.square() : d.abs();
  const ce = logits.logsumexp(1).sub(logits.gather(1, bin.unsqueeze(1)).squeeze(1));
  return applyReduction(reg.add(ce.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'classification-aided-regression',
  fn: classificationAidedRegressionLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'logits', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
