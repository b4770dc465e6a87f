import { linalg, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { classMeansAndVariances } from '../parts/other-class-means.js';

const options = {
  metric: opt.oneOf(['nc1', 'nc2-equinorm', 'nc2-equiangle', 'nc2-max-angle', 'nc3', 'nc4'] as const, 'nc1',
    "Which diagnostic: NC1 within-class variability, NC2 equinorm (CV of the centred means' norms), equiangularity (std of their off-diagonal cosines) or max-angle (mean |cos + 1/(K−1)|), NC3 self-duality, NC4 NCC mismatch."),
};
export type NeuralCollapseMetricsOptions = OptionsOf<typeof options>;

/**
 * Neural-collapse diagnostics NC1–NC4 of top-layer features and the classifier (Papyan et al.), as the
 * linguistic-collapse paper measures them; each goes to 0 as the features collapse.
 *
 * Over the K classes present: μ_k class means, μ_G = mean of the μ_k, M = [μ_k − μ_G]_k [K, D].
 * NC1 = Tr(Σ_W Σ_B⁺)/K with Σ_W = (1/N) Σᵢ (hᵢ − μ_yᵢ)(hᵢ − μ_yᵢ)ᵀ, Σ_B = MᵀM/K, Σ_B⁺ the pseudo-inverse
 * (singular values below 10⁻⁶ of the largest dropped, Papyan's rcond). NC2: equinorm = std/mean of ‖M_k‖
 * (unbiased std); equiangle = std of cos(M_i, M_j), i ≠ j; max-angle = mean_{i≠j} |cos(M_i, M_j) + 1/(K−1)|.
 * NC3 = ‖W/‖W‖_F − M/‖M‖_F‖_F with W's rows of the present classes. NC4 = fraction of samples where the
 * classifier's argmax_c (w_c·h + b_c) differs from the nearest class mean. With fewer than two classes the
 * NC2 pair statistics have no pair: 0.
 *
 * @param features top-layer embeddings h [N, D]
 * @param target class indices [N] (int32)
 * @param weight the classifier W [C, D]
 * @param bias the classifier's bias [C] (optional, 0; used by NC4)
 * @returns a scalar
 * @see Papyan, Han & Donoho, "Prevalence of neural collapse during the terminal phase of deep learning
 *   training", PNAS 2020; Wu & Papyan, "Linguistic Collapse: Neural Collapse in (Large) Language Models", 2024
 */
export function neuralCollapseMetrics(...args: Call<[features: Tensor, target: Tensor, weight: Tensor, bias?: Tensor], NeuralCollapseMetricsOptions>): Tensor {
  const [features, target, weight, bias, { metric }] = entry.check(args);
  const { classes, onehot, means } = classMeansAndVariances(features, target);
  const k = means.shape[0];
  const m = means.sub(means.mean(0, true));
  const zero = features.sum().mul(0);
  const offDiag = m.newOnes([k, k]).sub(m.newOnes([k]).diag()).gt(0);
  const cosines = () => { const u = m.div(m.norm(2, -1, true)); return u.matmul(u.transpose(0, 1)); };
  switch (metric) {
    case 'nc1': {
      const centred = features.sub(onehot.matmul(means));
      const sw = centred.transpose(0, 1).matmul(centred).div(features.shape[0]);
      const sb = m.transpose(0, 1).matmul(m).div(k);
      return sw.matmul(linalg.pinv(sb, { rtol: 1e-6, hermitian: true })).trace().div(k);
    }
    case 'nc2-equinorm': {
      if (k < 2) return zero;
      const norms = m.norm(2, -1);
      return norms.std().div(norms.mean());
    }
    case 'nc2-equiangle': return k < 2 ? zero : cosines().maskedSelect(offDiag).std();
    case 'nc2-max-angle': return k < 2 ? zero : cosines().add(1 / (k - 1)).abs().maskedSelect(offDiag).mean();
    case 'nc3': {
      const w = weight.indexSelect(0, classes);
      return w.div(w.norm('fro')).sub(m.div(m.norm('fro'))).norm('fro');
    }
    case 'nc4': {
      const logits = features.matmul(weight.transpose(0, 1));
      const net = (bias ? logits.add(bias) : logits).argmax(-1);
      const ncc = classes.indexSelect(0, features.unsqueeze(1).sub(means.unsqueeze(0)).square().sum(-1).argmin(-1));
      return net.ne(ncc).cast(features.dtype).mean();
    }
    default: return metric satisfies never;
  }
}

export const entry = defineLoss({
  id: 'neural-collapse-metrics',
  fn: neuralCollapseMetrics,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'bias', shape: ['C'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'diagnostics: NC4 counts discrete decisions and NC1\'s pseudo-inverse is discontinuous where the rank of Σ_B changes',
});
