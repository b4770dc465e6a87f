import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, targetMask } from '../parts/margin-softmax.js';
import { log1pSumExp } from '../parts/miners.js';

const options = {
  alpha: opt.number(32, 'α: the scale.', '(0, inf)'),
  delta: opt.number(0.1, 'δ: the margin.', '[0, inf)'),
};
export type ProxyAnchorOptions = OptionsOf<typeof options>;

/**
 * Proxy-Anchor loss: each proxy is an anchor for the whole batch.
 *
 * s(x, p) = cos(x, proxy_p); P⁺ = proxies with a sample in the batch; ℓ = (1/|P⁺|)·Σ_{p∈P⁺} log(1 + Σ_{x∈X_p⁺}
 * e^{−α(s − δ)}) + (1/C)·Σ_p log(1 + Σ_{x∈X_p⁻} e^{α(s + δ)}), each log(1 + Σ e^v) a logsumexp with an appended 0
 * (an empty set gives 0), as the authors' code.
 *
 * @param embeddings [N, D]
 * @param labels class indices [N] (int32)
 * @param proxies learnable proxies [C, D]
 * @returns a scalar (a batch-level loss: no reduction)
 * @see Kim et al., "Proxy Anchor Loss for Deep Metric Learning", CVPR 2020, arXiv:2003.13911
 */
export function proxyAnchorLoss(...args: Call<[embeddings: Tensor, labels: Tensor, proxies: Tensor], ProxyAnchorOptions>): Tensor {
  const [embeddings, labels, proxies, { alpha, delta }] = entry.check(args);
  const cos = cosineLogits(embeddings, proxies);
  const onehot = targetMask(labels, cos.shape[1]);
  const present = onehot.any(0);
  const posTerm = present.where(log1pSumExp(cos.sub(delta).mul(-alpha), onehot, 0), 0).sum().div(present.cast(cos.dtype).sum().clamp(1));
  const negTerm = log1pSumExp(cos.add(delta).mul(alpha), onehot.logicalNot(), 0).mean();
  return posTerm.add(negTerm);
}

export const entry = defineLoss({
  id: 'proxy-anchor',
  fn: proxyAnchorLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'proxies', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
