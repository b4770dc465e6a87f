import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  detachWeights: opt.boolean(true, 'Hold the weights constant (sg, the paper\'s form); false lets gradients flow through them too.'),
  eps: opt.number(1e-8, 'Added to each variance before inverting it (a modality with constant predictions).', '(0, inf)'),
};
export type ArlModalityReweightingOptions = OptionsOf<typeof options>;

/**
 * ARL's variance-based modality re-weighting for imbalanced multimodal learning: the fused loss plus each unimodal
 * loss and squared bias, weighted inversely to the modality's prediction variance.
 *
 * For modality m: p_mi = softmax(z_mi)_{yᵢ} (log-space, a max-shifted log softmax), L_m = mean_i −log p_mi (CE),
 * bias b_m = mean_i (1 − p_mi), Var_m = var_i p_mi (population); α_m = (1/(Var_m + ε)) / Σ_m' 1/(Var_m' + ε),
 * detached. L = CE(fused) + Σ_m α_m·(L_m + b_m²).
 *
 * @param input fused logits [N, C]
 * @param unimodal each modality's logits through the shared head [M, N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar
 * @see "Improving Multimodal Learning via Imbalanced Learning" (ARL), ICCV 2025
 */
export function arlModalityReweighting(...args: Call<[input: Tensor, unimodal: Tensor, target: Tensor], ArlModalityReweightingOptions>): Tensor {
  const [fused, uni, target, { eps, detachWeights }] = entry.check(args);
  const pick = (logits: Tensor) => logits.logSoftmax(-1).gather(-1, target.unsqueeze(-1).expand([...logits.shape.slice(0, -1), 1])).squeeze(-1);
  const logpFused = pick(fused); // [N]
  const logp = pick(uni); // [M, N]
  const p = logp.exp();
  const ce = logp.neg().mean(-1); // [M]
  const bias = p.neg().add(1).mean(-1);
  const inv = (detachWeights ? p.detach() : p).var(-1, { correction: 0 }).add(eps).reciprocal();
  const alpha = inv.div(inv.sum());
  return logpFused.neg().mean().add(alpha.mul(ce.add(bias.square())).sum());
}

export const entry = defineLoss({
  id: 'arl-modality-reweighting',
  fn: arlModalityReweighting,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'unimodal', shape: ['M', 'N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  surrogateGradient: "the modality weights α_m are held constant (detachWeights, the paper's form)",
  output: 'batch',
  reading: 'Per modality: CE L_m, bias b_m = mean(1 − p_m(y)), variance Var_m = population variance of p_m(y) over the batch; α_m ∝ 1/Var_m normalised and detached; L = CE(fused) + Σ_m α_m(L_m + b_m²).',
});
