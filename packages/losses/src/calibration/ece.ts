import { linspace, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  nBins: opt.integer(15, 'Number of equal-width confidence bins over [0, 1] (the CA paper\'s code uses 25).', '[1, inf)'),
};
export type EceOptions = OptionsOf<typeof options>;

/**
 * Expected calibration error (ECE) of top-label confidences, with equal-width bins.
 *
 * confᵢ = max_k pᵢₖ, accᵢ = 1[argmax_k pᵢₖ = yᵢ]; bin b = (b/B, (b+1)/B] (left-open, so a confidence
 * on an edge falls in the lower bin, as Guo et al.'s `ECELoss`); ECE = Σ_b (|B_b|/N) |acc(B_b) −
 * conf(B_b)| = (1/N) Σ_b |Σ_{i∈B_b} (accᵢ − confᵢ)|; empty bins add 0. Bin membership is a [N, B]
 * mask of comparisons with the edges (no loop over values), so it runs on any backend.
 *
 * @param probs class probabilities [N, C] (softmax outputs; pass `logits.softmax(-1)` for logits)
 * @param target class indices [N] (int32)
 * @returns a scalar
 * @see Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks", ICML 2017 (the
 *   metric used by Chidambaram & Ge, "On the Limitations of Temperature Scaling for Distributions with
 *   Overlaps", ICLR 2024; Liu et al., "Optimizing Calibration by Gaining Aware of Prediction
 *   Correctness", 2024; Noh et al., "RankMixup: Ranking-Based Mixup Training for Network Calibration", ICCV 2023)
 */
export function ece(...args: Call<[probs: Tensor, target: Tensor], EceOptions>): Tensor {
  const [probs, target, { nBins }] = entry.check(args);
  const conf = probs.amax(-1);
  const correct = probs.argmax(-1).eq(target).cast(probs.dtype);
  // Edges as torch.linspace(0, 1, B + 1), so confidences on an edge bin the same way.
  const edges = linspace(0, 1, nBins + 1, { dtype: probs.dtype, backend: probs.backendName });
  const c = conf.unsqueeze(-1);
  const inBin = c.gt(edges.slice(0, 0, nBins)).logicalAnd(c.le(edges.slice(0, 1))).cast(probs.dtype); // [N, B]
  const gap = correct.sub(conf).unsqueeze(-1).mul(inBin).sum(0); // Σ_{i∈B_b} (accᵢ − confᵢ)
  return gap.abs().sum().div(probs.shape[0]);
}

export const entry = defineLoss({
  id: 'ece',
  fn: ece,
  args: [
    { name: 'probs', shape: ['N', 'C'], dtype: 'float', domain: 'simplex' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'piecewise constant in the bin assignment (argmax correctness and confidence bins): its gradient is not that of a calibration objective',
});
