import { ArgumentError, arange, concat, stack, Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  inputLengths: opt.tensor(['N'], 'Length Tₙ ≤ T of each input sequence [N] (int32 tensor or numbers, each ≥ 1); default T for all.', 'int'),
  targetLengths: opt.tensor(['N'], 'Length Lₙ ≤ S of each target [N]; default S for all. Target entries past Lₙ are ignored.', 'int'),
  blank: opt.integer(0, 'The blank\'s class index.', '[0, inf)'),
  reduction: opt.reduction(),
  zeroInfinity: opt.boolean(false, 'Replace infinite losses (targets no alignment can produce) and their gradients by 0.'),
};
export type CtcLossOptions = OptionsOf<typeof options>;

/** Lengths as an int32 tensor on `like`'s backend, checked to lie in [min, max] (read on the host, like PyTorch's integer-list lengths). */
function lengths(name: string, given: Tensor | null, n: number, min: number, max: number, like: Tensor): Tensor {
  if (given === null) return tensor(new Float64Array(n).fill(max), { dtype: 'int32', backend: like.backendName });
  const values = Array.from(given.data());
  if (values.some((v) => v < min || v > max)) {
    throw new ArgumentError('ctcLoss', `${name}: expected ${n} integers in [${min}, ${max}], got [${values.join(', ')}]`);
  }
  return given;
}

/** logsumexp over `dim` that is −∞, with a zero (not NaN) gradient, where every entry is −∞ (an unreachable state). */
function logsumexpOrNegInf(x: Tensor, dim: number): Tensor {
  const dead = x.detach().amax(dim, true).eq(-Infinity);
  return dead.squeeze(dim).where(-Infinity, dead.where(0, x).logsumexp(dim));
}

/** Each state takes the value k states before it; the first k get `fill` (no predecessor): [N, E] → [N, E]. */
function shiftRight(x: Tensor, k: number, fill: number): Tensor {
  const [n, e] = x.shape;
  const head = x.newFull([n, Math.min(k, e)], fill);
  return k >= e ? head : concat([head, x.narrow(1, 0, e - k)], 1);
}

/**
 * Connectionist temporal classification loss, PyTorch's `F.ctc_loss` (padded targets).
 *
 * −log Σ over alignments of the target, by the forward (α) recursion in log space over the
 * extended labels l′ = (b, l₁, b, l₂, …, b): α_t(s) = log p_t(l′_s) + logsumexp of α_{t−1} at
 * s, s − 1 and (when l′_s is not the blank and differs from l′_{s−2}) s − 2; the loss is
 * −logsumexp(α_{Tₙ−1}(2Lₙ), α_{Tₙ−1}(2Lₙ − 1)). Unreachable states are −∞ through a logsumexp
 * that gives them a zero gradient, so infeasible targets give +∞ (or 0 with zeroInfinity)
 * without NaNs. The gradient is the exact derivative with respect to the log-probabilities;
 * PyTorch's CTC backward instead returns it plus exp(log-probs) (the gradient as if through a
 * logSoftmax), so the two agree on the logits that feed a logSoftmax.
 *
 * @param logProbs log-probabilities [T, N, C] (time first, e.g. logSoftmax over C)
 * @param targets class indices [N, S] (int32), padded: row n is read up to its target length
 * @returns a scalar, or [N] with reduction 'none'
 * @see Graves, Fernández, Gomez & Schmidhuber, "Connectionist Temporal Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks", ICML 2006
 */
export function ctcLoss(...args: Call<[logProbs: Tensor, targets: Tensor], CtcLossOptions>): Tensor {
  const [logProbs, targets, { inputLengths: inLengths, targetLengths: tgtLengths, blank, reduction, zeroInfinity }] = entry.check(args);
  const [t, n, c] = logProbs.shape;
  const s = targets.shape[1];
  if (!(Number.isInteger(blank) && blank >= 0 && blank < c)) throw new ArgumentError('ctcLoss', `blank must be a class index in [0, ${c}), got ${blank}`);
  const inputLengths = lengths('inputLengths', inLengths, n, 1, t, logProbs);
  const targetLengths = lengths('targetLengths', tgtLengths, n, 0, s, logProbs);
  const backend = logProbs.backendName;
  // Extended labels [N, 2S + 1]: blanks around every target label (padding past Lₙ reads as blanks).
  const e = 2 * s + 1;
  const real = arange(s, undefined, 1, { backend }).lt(targetLengths.unsqueeze(1));
  const labels = real.where(targets, blank);
  const blanks = labels.newFull([n, s], blank);
  const ext = concat([stack([blanks, labels], 2).reshape([n, 2 * s]), labels.newFull([n, 1], blank)], 1);
  const canSkip = ext.ne(blank).logicalAnd(ext.ne(shiftRight(ext, 2, blank))); // s − 2 → s is allowed
  const lpExt = logProbs.gather(2, ext.unsqueeze(0).expand([t, n, e])); // [T, N, E]: log p_t(l′_s)
  const state = arange(e, undefined, 1, { backend });
  // α₀: start in the leading blank or in the first label.
  let alpha = state.lt(2).where(lpExt.narrow(0, 0, 1).reshape([n, e]), -Infinity);
  for (let step = 1; step < t; step++) {
    const skip = canSkip.where(shiftRight(alpha, 2, -Infinity), -Infinity);
    const next = logsumexpOrNegInf(stack([alpha, shiftRight(alpha, 1, -Infinity), skip], 2), 2).add(lpExt.narrow(0, step, 1).reshape([n, e]));
    alpha = inputLengths.gt(step).unsqueeze(1).where(next, alpha); // sequences that ended keep their last α
  }
  // End in the final blank (state 2Lₙ) or the last label (state 2Lₙ − 1, when Lₙ > 0).
  const end = targetLengths.mul(2).unsqueeze(1);
  const endLabel = targetLengths.gt(0).unsqueeze(1).where(alpha.gather(1, end.sub(1).maximum(0)), -Infinity);
  let nll = logsumexpOrNegInf(concat([alpha.gather(1, end), endLabel], 1), 1).neg();
  if (zeroInfinity) nll = nll.eq(Infinity).where(0, nll);
  if (reduction === 'mean') return applyReduction(nll.div(targetLengths.cast(nll.dtype).clamp(1)), { reduction });
  return applyReduction(nll, { reduction });
}

export const entry = defineLoss({
  id: 'ctc-loss',
  fn: ctcLoss,
  args: [
    { name: 'logProbs', shape: ['T', 'N', 'C'], dtype: 'float', domain: 'log-prob' },
    { name: 'targets', shape: ['N', 'S'], dtype: 'int', domain: 'label' },
  ],
  options,
  batchDim: 1,
  meanIsNotMeanOfNone: "PyTorch's 'mean' divides each sample's loss by its target length before averaging over the batch",
  output: 'per-sample',
  meta: { name: 'Connectionist temporal classification (CTC) loss', category: 'pytorch', papers: [] },
});
