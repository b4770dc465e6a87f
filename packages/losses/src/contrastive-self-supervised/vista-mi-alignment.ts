import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineSimilarity } from '../parts/distances.js';

const options = {
  method: opt.oneOf(['l2', 'cosine'], 'l2', "'l2': position-weighted mean squared distance (the authors' default `method`); 'cosine': position-weighted cosine similarity, maximised."),
  reduction: opt.reduction(),
};
export type VistaMiAlignmentOptions = OptionsOf<typeof options>;

/**
 * VISTA's explicit visual–text alignment term: the visual summary pulled toward every text token, later tokens more.
 *
 * For sample i with visual representation vᵢ (the hidden state at the last visual token), text token embeddings
 * e_{i,1..Tᵢ} and position weights t (the token's rank among the sample's Tᵢ valid tokens):
 *   'l2':     ℓᵢ = (1/Tᵢ)·Σ_t (t/Tᵢ)·mean_d (v_{id} − e_{itd})²
 *   'cosine': ℓᵢ = −(1/Tᵢ)·Σ_t t·cos(vᵢ, e_it)
 * The weights rising with t counter the decay, with text length, of the visual contribution that cross-entropy alone
 * leaves (the paper's mutual-information argument). The caller adds ℓ to the language-model cross-entropy.
 * Follows the authors' code, zzjweb/digitalhuman VISTA/LLaVA-VISTA/llava/train/modeling_llama.py (forward of the
 * causal LM: `method` 'l2' or 'cosine'; the batch term is Σᵢ ℓᵢ / batch size, i.e. the mean).
 *
 * @param visual the visual representation per sample [N, D]
 * @param text the text token embeddings [N, T, D] (padded)
 * @param mask the valid text tokens (bool [N, T], optional: all valid); every row needs one valid token
 * @returns [N] for 'none', else a scalar
 * @see "VISTA: Enhancing Vision-Text Alignment in MLLMs via Cross-Modal Mutual Information Maximization", arXiv:2505.10917, 2025
 */
export function vistaMiAlignment(...args: Call<[visual: Tensor, text: Tensor, mask?: Tensor], VistaMiAlignmentOptions>): Tensor {
  const [visual, text, mask, { method, reduction }] = entry.check(args);
  const valid = mask ? mask.cast(visual.dtype) : text.sum(-1).mul(0).add(1); // [N, T]
  const rank = valid.cumsum(1); // t: 1..Tᵢ over the valid tokens
  const count = valid.sum(1, true); // Tᵢ [N, 1]
  const v = visual.unsqueeze(1); // [N, 1, D]
  const values = method === 'l2'
    ? v.sub(text).square().mean(-1).mul(rank).div(count).mul(valid).sum(1, true).div(count)
    : cosineSimilarity(v.expand(text.shape), text).mul(rank).mul(valid).sum(1, true).div(count).neg();
  return applyReduction(values.squeeze(1), { reduction });
}

export const entry = defineLoss({
  id: 'vista-mi-alignment',
  fn: vistaMiAlignment,
  args: [
    { name: 'visual', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'text', shape: ['N', 'T', 'D'], dtype: 'float', domain: 'real' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true },
  ],
  options,
  output: 'per-sample',
  reading:
    "The authors' released explicit alignment term (VISTA modeling_llama.py): a position-weighted L2 (default) or cosine alignment between the " +
    "hidden state at the last visual token and each text token's embedding, weights t/Tᵢ (L2) or t (cosine); both representations are the " +
    "MLLM's, passed as arguments, and the model's cross-entropy is added by the caller.",
});
