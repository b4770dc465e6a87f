import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  miWeight: opt.number(1, 'Weight of the forget-set mutual information I(h; g) (null in the catalog; 1, our neutral choice).', '[0, inf)'),
  calibWeight: opt.number(1, 'Weight of the retain-set calibration |I(h; g) − I(h₀; g)| (null in the catalog; 1, our neutral choice).', '[0, inf)'),
  groupWeights: opt.tensor(['G'], 'w_g: per-group weights of the retain-set CE [G] (default: all 1); `miuGroupWeights` computes the paper\'s.'),
};
export type MiuUnlearningOptions = OptionsOf<typeof options>;

/**
 * The retain-set reweighting of MIU: w_g = (n_g^orig/N_orig)/(n_g^retain/N_retain), restoring the original
 * training set's group distribution on the retain set. Counts [G] (plain numbers); a group absent from the
 * retain set gets weight 0 (it has no sample to weight).
 */
export function miuGroupWeights(originalCounts: readonly number[], retainCounts: readonly number[]): number[] {
  if (originalCounts.length !== retainCounts.length) throw new ArgumentError('miuGroupWeights', `expected as many original counts as retain counts, got ${originalCounts.length} and ${retainCounts.length}`);
  const no = originalCounts.reduce((a, b) => a + b, 0);
  const nr = retainCounts.reduce((a, b) => a + b, 0);
  return originalCounts.map((c, g) => (retainCounts[g] > 0 ? (c / no) / (retainCounts[g] / nr) : 0));
}

/** The variational I(h; g) ≈ H(g) + mean_i log q(gᵢ | hᵢ), H(g) the entropy of the set's empirical group frequencies. */
function variationalMi(groupLogits: Tensor, groups: Tensor): Tensor {
  const freq = groups.oneHot(groupLogits.shape[1]).cast(groupLogits.dtype).mean(0);
  const entropy = freq.xlogy(freq).sum().neg();
  const logq = groupLogits.logSoftmax(-1).gather(-1, groups.unsqueeze(-1)).squeeze(-1);
  return entropy.add(logq.mean());
}

/**
 * MIU (group-robust machine unlearning by mutual-information minimisation): unlearn the forget set by
 * minimising the mutual information between its features and the group labels, while keeping the retain
 * set's MI at the original model's level and fitting the retain set with group-reweighted cross-entropy.
 *
 * I(h; g) ≈ H(g) + mean log q(g | h), q a variational group classifier on the features (trained by the caller to
 * maximise mean log q, which tightens the bound). L = mean_i w_{gᵢ}·CE(retain) + miWeight·I_forget(h; g) +
 * calibWeight·|I_retain(h; g) − I_retain(h₀; g)|, h₀ the original model's features (constant; H(g) cancels in
 * the difference). Log-probabilities are max-shifted log-softmaxes.
 *
 * @param forgetGroupLogits q's logits on the forget set's features [F, G]
 * @param forgetGroups the forget set's group labels [F] (int32)
 * @param retainLogits the model's class logits on the retain set [N, C]
 * @param retainTarget the retain set's class labels [N] (int32)
 * @param retainGroups the retain set's group labels [N] (int32)
 * @param retainGroupLogits q's logits on the current model's retain features [N, G]
 * @param originalGroupLogits q's logits on the original model's retain features [N, G] (constant)
 * @returns a scalar
 * @see De Min, Mancini, Lathuilière, Roy & Ricci, "Group-robust Machine Unlearning", 2025 (arXiv:2503.09330)
 */
export function miuUnlearning(...args: Call<[forgetGroupLogits: Tensor, forgetGroups: Tensor, retainLogits: Tensor, retainTarget: Tensor, retainGroups: Tensor, retainGroupLogits: Tensor, originalGroupLogits: Tensor], MiuUnlearningOptions>): Tensor {
  const [forgetGroupLogits, forgetGroups, retainLogits, retainTarget, retainGroups, retainGroupLogits, originalGroupLogits, { miWeight, calibWeight, groupWeights }] = entry.check(args);
  const nll = retainLogits.logSoftmax(-1).gather(-1, retainTarget.unsqueeze(-1)).squeeze(-1).neg();
  const ce = (groupWeights ? nll.mul(groupWeights.indexSelect(0, retainGroups)) : nll).mean();
  const forgetMi = variationalMi(forgetGroupLogits, forgetGroups);
  const calib = variationalMi(retainGroupLogits, retainGroups).sub(variationalMi(originalGroupLogits.detach(), retainGroups)).abs();
  return ce.add(forgetMi.mul(miWeight)).add(calib.mul(calibWeight));
}

export const entry = defineLoss({
  id: 'miu-unlearning',
  fn: miuUnlearning,
  args: [
    { name: 'forgetGroupLogits', shape: ['F', 'G'], dtype: 'float', domain: 'logits' },
    { name: 'forgetGroups', shape: ['F'], dtype: 'int', domain: 'label', classes: 'G' },
    { name: 'retainLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'retainTarget', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'retainGroups', shape: ['N'], dtype: 'int', domain: 'label', classes: 'G' },
    { name: 'retainGroupLogits', shape: ['N', 'G'], dtype: 'float', domain: 'logits' },
    { name: 'originalGroupLogits', shape: ['N', 'G'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'Variational MI estimator I(h; g) ≈ H(g) + mean log q(g|h) with q\'s logits passed in (q trained by the caller); total = group-reweighted mean retain CE + miWeight·I_forget + calibWeight·|I_retain(h) − I_retain(h₀)|, both weights 1 by our choice.',
});
