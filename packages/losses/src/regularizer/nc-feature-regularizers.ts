import { ArgumentError, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambdaW: opt.number(1, 'λ_W: weight of the within-class term (null in the catalog; 1, our neutral choice, tune it).', '[0, inf)'),
  lambdaB: opt.number(1, 'λ_B: weight of the between-class ETF term (null in the catalog; 1, our neutral choice, tune it).', '[0, inf)'),
  normalize: opt.boolean(false, 'Measure the within-class term on L2-normalised features and centres.'),
  eps: opt.number(1e-12, 'ε under every square root of a norm.', '(0, inf)'),
};
export type NcFeatureRegularizersOptions = OptionsOf<typeof options>;

/** The class means of features [N, D] under labels [N] → [K, D] (a class with no sample gets a zero row). */
export function ncClassMeans(features: Tensor, target: Tensor, numClasses: number): Tensor {
  const onehot = target.oneHot(numClasses).cast(features.dtype);
  const counts = onehot.sum(0).clamp(1);
  return onehot.transpose(0, 1).matmul(features).div(counts.unsqueeze(1));
}

/** Serialisable state of EMA class centres. */
export interface EmaCentresState { momentum: number; numClasses: number; dim: number; centres: number[]; seen: boolean[] }

/**
 * EMA class centres for the NC regularisers: `update(features, target)` moves each class present in the batch
 * toward its batch mean, c ← m·c + (1 − m)·mean (the first batch sets it), `centres(like)` returns [K, D],
 * `stateDict()` / `createEmaCentres(state)` save and restore. momentum: 0.9 (the catalog leaves it open).
 */
export function createEmaCentres(init: { numClasses: number; dim: number; momentum?: number } | EmaCentresState) {
  const state: EmaCentresState = 'centres' in init ? structuredClone(init)
    : { momentum: init.momentum ?? 0.9, numClasses: init.numClasses, dim: init.dim, centres: new Array<number>(init.numClasses * init.dim).fill(0), seen: new Array<boolean>(init.numClasses).fill(false) };
  return {
    update(features: Tensor, target: Tensor): void {
      const means = ncClassMeans(features.detach(), target, state.numClasses).data();
      const present = target.oneHot(state.numClasses).sum(0).data();
      for (let k = 0; k < state.numClasses; k++) {
        if (!present[k]) continue;
        const m = state.seen[k] ? state.momentum : 0;
        for (let d = 0; d < state.dim; d++) {
          const i = k * state.dim + d;
          state.centres[i] = m * state.centres[i] + (1 - m) * means[i];
        }
        state.seen[k] = true;
      }
    },
    centres: (like: Tensor): Tensor => tensor(Float64Array.from(state.centres), { dtype: like.dtype, backend: like.backendName }).reshape([state.numClasses, state.dim]),
    stateDict: (): EmaCentresState => structuredClone(state),
  };
}

/**
 * Neural-collapse-inducing feature regularisers: a within-class compactness term (NC1) and a
 * between-class term pulling the centred, normalised class centres to a simplex equiangular tight
 * frame (NC2). Add both to the classification loss.
 *
 * L_W = mean_i ‖hᵢ − c_{yᵢ}‖²; L_B = 1/(K(K−1))·Σ_{j≠k} (cos(c_j − c̄, c_k − c̄) + 1/(K−1))², c̄ the mean centre;
 * R = λ_W·L_W + λ_B·L_B. Norms are √(Σx² + ε), so a centre at c̄ keeps finite gradients. The centres are an
 * argument: batch means (`ncClassMeans`, differentiable), EMA centres (`createEmaCentres`, constant) or learnable.
 *
 * @param features h [N, D]
 * @param target class indices [N] (int32)
 * @param centres class centres c [K, D], K ≥ 2
 * @returns a scalar
 * @see Liu, Zhang, Wang, Wang & Li, "Inducing Neural Collapse in Deep Long-tailed Learning", AISTATS 2023
 */
export function ncFeatureRegularizers(...args: Call<[features: Tensor, target: Tensor, centres: Tensor], NcFeatureRegularizersOptions>): Tensor {
  const [features, target, centres, { lambdaW, lambdaB, normalize, eps }] = entry.check(args);
  const k = centres.shape[0];
  if (k < 2) throw new ArgumentError('ncFeatureRegularizers', `centres: the ETF term needs K >= 2 classes, got ${k}`);
  const unit = (t: Tensor) => t.div(t.square().sum(-1, true).add(eps).sqrt());
  const h = normalize ? unit(features) : features;
  const c = normalize ? unit(centres) : centres;
  const within = h.sub(c.indexSelect(0, target)).square().sum(-1).mean();
  const m = unit(centres.sub(centres.mean(0, true)));
  const off = m.matmul(m.transpose(0, 1)).add(1 / (k - 1)).square();
  const between = off.sum().sub(off.diagonal().sum()).div(k * (k - 1));
  return within.mul(lambdaW).add(between.mul(lambdaB));
}

export const entry = defineLoss({
  id: 'nc-feature-regularizers',
  fn: ncFeatureRegularizers,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'centres', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'The abstract names two feature regularisers; we implement the catalog\'s reading: L_W = mean ‖hᵢ − c_{yᵢ}‖² (center-loss-like NC1) and L_B = mean over j ≠ k of (cos(c_j − c̄, c_k − c̄) + 1/(K−1))² (NC2 toward a simplex ETF), weighted λ_W, λ_B; the CE is added by the caller.',
});
