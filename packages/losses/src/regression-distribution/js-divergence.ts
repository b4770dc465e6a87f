import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  temperature: opt.number(1, 'T: both rows are softmax(·/T) over their last dim.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type JsDivergenceOptions = OptionsOf<typeof options>;

/**
 * Jensen–Shannon divergence between two distributions given as logits (e.g. DINOv2 embeddings of the SR output
 * and of the ground truth): P = softmax(a/T), Q = softmax(b/T), M = (P + Q)/2, JSD = ½·KL(P‖M) + ½·KL(Q‖M) ∈ [0, log 2].
 * Stable form: log P, log Q are log-softmaxes, log M = logaddexp(log P, log Q) − log 2, and P·(log P − log M) is 0
 * where P is 0; finite at logits of ±1e4. Reading: HF-Diff's turning of embeddings into distributions is taken as a
 * softmax over the embedding dims at temperature T.
 *
 * @param input logits a [N, K]
 * @param target logits b [N, K]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 1991; HF-Diff (the catalog's paper)
 */
export function jsDivergence(...args: Call<[input: Tensor, target: Tensor], JsDivergenceOptions>): Tensor {
  const [a, b, { temperature, reduction }] = entry.check(args);
  const lp = a.div(temperature).logSoftmax(-1);
  const lq = b.div(temperature).logSoftmax(-1);
  const lm = lp.logaddexp(lq).sub(Math.LN2);
  const kl = (l: Tensor) => l.exp().mul(l.sub(lm)).sum(-1);
  return applyReduction(kl(lp).add(kl(lq)).mul(0.5), { reduction });
}

export const entry = defineLoss({
  id: 'js-divergence',
  fn: jsDivergence,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'per-sample',
  reading: 'P and Q are softmaxes over the last dim at temperature T of the two embeddings; JSD per row.',
});
