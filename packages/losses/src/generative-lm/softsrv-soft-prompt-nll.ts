import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { sequenceLogProbs } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  promptLength: opt.integer(0, 'k: leading positions that are soft-prompt slots, not text (their logits are excluded); 0 when the caller already dropped them.', '[0, inf)'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing.'),
  reduction: opt.reduction(),
};
export type SoftsrvSoftPromptNllOptions = OptionsOf<typeof options>;

/**
 * SoftSRV's training loss: the frozen LLM's NLL of a target sequence given a contextual soft prompt.
 *
 * P = P_φ(e(x)) (k soft-prompt vectors from the frozen encoder's embedding of x), ℓ_n = −Σ_t log p_LLM(x_t | [P; x_<t])
 * over the text positions (prompt positions excluded), the per-sequence sum; only φ is trained, so the gradient
 * reaches P_φ through the logits. The caller runs the LLM on [P; x] (with the next-token shift) and passes its
 * logits; `promptLength` drops the k prompt positions if they are still there.
 *
 * @param input the frozen LLM's logits over [P; x] (aligned with target) [N, T, V]
 * @param target the target tokens [N, T] (int32), or ignoreIndex
 * @param mask optional [N, T] (bool or 0/1)
 * @returns a scalar (mean over sequences), or [N] with reduction 'none'
 * @see DeSalvo et al., "No more hard prompts: SoftSRV prompting for synthetic data generation", 2024
 */
export function softsrvSoftPromptNll(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], SoftsrvSoftPromptNllOptions>): Tensor {
  const [input, target, mask, { promptLength: k, ignoreIndex, reduction }] = entry.check(args);
  const t = target.shape[1];
  const keep = Math.max(t - k, 0);
  const lp = sequenceLogProbs(input.narrow(1, t - keep, keep), target.narrow(1, t - keep, keep), mask ? mask.narrow(1, t - keep, keep) : null, ignoreIndex);
  return applyReduction(lp.sum.neg(), { reduction });
}

export const entry = defineLoss({
  id: 'softsrv-soft-prompt-nll',
  fn: softsrvSoftPromptNll,
  args: [
    { name: 'input', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: 'Plain sequence NLL summed per sequence over the text positions (prompt slots excluded), averaged over sequences; the soft-prompt generator P_φ (an MLP on e(x) in the main variant) is the caller\'s model.',
});
