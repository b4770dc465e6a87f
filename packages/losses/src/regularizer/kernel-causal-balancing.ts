import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  bandwidth: opt.number(1, 'The Gaussian kernel bandwidth (not given in the abstract; 1, for standardised features).', '(0, inf)'),
  landmarkWeights: opt.tensor(['J'], 'w_j [J]: the weight of each landmark\'s balancing constraint (default 1 each; the paper adapts them).'),
};
export type KernelCausalBalancingOptions = OptionsOf<typeof options>;

/**
 * Kernel-based causal balancing loss for learning propensities in debiased recommendation: the inverse-propensity
 * weighted observed pairs must reproduce every kernel feature's total over all user-item pairs.
 *
 * φ_j(x) = exp(−‖x − c_j‖²/(2·bw²)) (squared distances as Σ(x − c)², exact); with D the M pairs,
 * L = Σ_j w_j·(Σ_ui (o_ui/p̂_ui)·φ_j(x_ui) − Σ_ui φ_j(x_ui))² / M². The propensity model is also fitted by a
 * cross-entropy on o (binary-cross-entropy): add it beside this term. Propensities must be positive.
 *
 * @param input propensities p̂ [M] in (0, 1]
 * @param observed observation indicators o [M] in {0, 1}
 * @param features pair features x [M, F]
 * @param landmarks kernel centres c [J, F]
 * @returns a scalar
 * @see Li et al., "Debiased Collaborative Filtering with Kernel-Based Causal Balancing", ICLR 2024
 */
export function kernelCausalBalancing(...args: Call<[input: Tensor, observed: Tensor, features: Tensor, landmarks: Tensor], KernelCausalBalancingOptions>): Tensor {
  const [p, o, x, c, { bandwidth, landmarkWeights }] = entry.check(args);
  const d2 = x.unsqueeze(1).sub(c.unsqueeze(0)).square().sum(-1); // [M, J]
  const phi = d2.div(-2 * bandwidth * bandwidth).exp();
  const ipw = o.div(p).sub(1).unsqueeze(-1); // o/p̂ − 1
  const gap = phi.mul(ipw).sum(0); // [J]
  const w = landmarkWeights ?? gap.newOnes(gap.shape);
  const m = p.shape[0];
  return gap.square().mul(w).sum().div(m * m);
}

export const entry = defineLoss({
  id: 'kernel-causal-balancing',
  fn: kernelCausalBalancing,
  args: [
    { name: 'input', shape: ['M'], dtype: 'float', domain: 'positive' },
    { name: 'observed', shape: ['M'], dtype: 'float', domain: 'binary' },
    { name: 'features', shape: ['M', 'F'], dtype: 'float', domain: 'real' },
    { name: 'landmarks', shape: ['J', 'F'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'Gaussian-kernel features at given landmarks, L = Σ_j w_j(Σ (o/p̂)φ_j − Σ φ_j)²/|D|² with fixed weights w_j (default 1; the paper\'s adaptive rule is not in the abstract, so w is an option).',
});
