import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type MtpLatentConsistencyOptions = OptionsOf<typeof options>;

/**
 * Latent consistency loss for multi-token prediction: each mask position's hidden state is pulled toward the
 * (detached) next-token-prediction hidden state of the future position it stands for.
 *
 * ℓ_n = mean_i ‖h_mask,n,i − sg(h_ntp,n,t+i)‖² (squared L2 over D, mean over the k mask positions). The hidden
 * states come from the caller's two passes (the gated-LoRA pass over the appended masks, the plain NTP pass).
 *
 * @param input hidden states at the k mask positions [N, K, D]
 * @param target NTP hidden states at the matching future positions [N, K, D] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Samragh et al., "Your LLM Knows the Future: Uncovering Its Multi-Token Prediction Potential", 2025
 */
export function mtpLatentConsistency(...args: Call<[input: Tensor, target: Tensor], MtpLatentConsistencyOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(input.sub(target.detach()).square().sum(-1).mean(-1), { reduction });
}

export const entry = defineLoss({
  id: 'mtp-latent-consistency',
  fn: mtpLatentConsistency,
  args: [
    { name: 'input', shape: ['N', 'K', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'Squared L2 between hidden states (sum over D, mean over the k positions), the NTP side detached; the abstract names only "a consistency loss", so the distance and the layer (the last hidden layer is the natural choice) are this reading\'s.',
});
