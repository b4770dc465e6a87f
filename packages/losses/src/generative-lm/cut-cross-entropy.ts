import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cutCrossEntropyValues } from '../parts/gen-cut-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing (PyTorch\'s ignore_index).'),
  blockSize: opt.integer(512, 'Vocabulary rows per block: the live logits are [N, blockSize]. The paper\'s GPU kernel tiles are 128–256 in both N and V; here a block spans all N rows, so 512 keeps each block\'s matmul large (efficient) while two [N, 512] temporaries stay far below the [N, V] logits.', '[1, inf)'),
  logitSoftcap: opt.number(null, 'cap: each logit becomes cap·tanh(z/cap) before the logsumexp (Gemma 2); null: no softcap.', '(0, inf)'),
  filterEps: opt.number(0, 'Gradient filtering: a block whose softmax entries are all below this gets no gradient. The paper uses 2⁻¹² because bf16 cannot represent smaller contributions; in float32/float64 filtering makes the gradient inexact, so it is off (0) by default.', '[0, 1)'),
  reduction: opt.reduction(),
};
export type CutCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Cut cross-entropy (CCE): the cross-entropy of hidden states against an unembedding without the logits.
 *
 * ℓᵢ = lse_v(eᵢ·c_v) − eᵢ·c_{yᵢ}, the value of `crossEntropy(E Cᵀ, y)` per token, computed blockwise over the
 * vocabulary: each block's logits E C_bᵀ [N, blockSize] are reduced to a logsumexp and merged into the running one
 * by logaddexp (the online, max-shifted merge), and the backward pass recomputes each block's logits and
 * accumulates dE = Σ_b (g⊙softmax_b) C_b and dC_b = (g⊙softmax_b)ᵀ E (a core `Function`, parts/gen-cut-ce.ts,
 * since autograd through a composition would keep every block's logits, i.e. the [N, V] matrix). Peak extra
 * memory is O(N·blockSize + V·D) instead of O(N·V): bench/cut-cross-entropy.ts (`pnpm --filter benchmark cce`)
 * measures core's live-storage count at N = 4096, D = 256, V = 50,000, float32: 49 MiB beyond the inputs and the
 * returned gradients (0.063 of the 781 MiB dense logits), 102 MiB (0.130) counting dE and dC themselves, whose
 * blocks and concatenation coexist once. 'mean' divides by the number of non-ignored tokens, as PyTorch does.
 *
 * @param input hidden states E [N, D]
 * @param classifier the unembedding (LM head) C [V, D]
 * @param target token ids [N] (int32) in [0, V), or `ignoreIndex`
 * @returns a scalar, or [N] with reduction 'none' (0 at ignored tokens)
 * @see Wijmans et al., "Cut Your Losses in Large-Vocabulary Language Models", ICLR 2025, arXiv:2411.09009
 */
export function cutCrossEntropy(...args: Call<[input: Tensor, classifier: Tensor, target: Tensor], CutCrossEntropyOptions>): Tensor {
  const [input, classifier, target, { ignoreIndex, blockSize, logitSoftcap, filterEps, reduction }] = entry.check(args);
  const keepMask = target.ne(ignoreIndex);
  const keep = keepMask.cast(input.dtype);
  const safe = keepMask.where(target, 0);
  const values = cutCrossEntropyValues(input, classifier, safe, keep, { blockSize, softcap: logitSoftcap, filterEps });
  return applyReduction(values, { reduction, meanOver: keep.sum() });
}

export const entry = defineLoss({
  id: 'cut-cross-entropy',
  fn: cutCrossEntropy,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'classifier', shape: ['V', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'V' },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' divides by the number of non-ignored tokens, as PyTorch's cross-entropy does (equal to the mean of 'none' when none is ignored)",
});
