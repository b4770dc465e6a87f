import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

/** The confusion-matrix metric that AnyLoss turns into a loss. */
export type AnyLossMetric = 'accuracy' | 'f1' | 'fbeta' | 'balanced-accuracy' | 'gmean';

const options = {
  L: opt.number(73, 'L: the amplifier of the approximation function a = σ(L·(p − ½)).', '(0, inf)'),
  metric: opt.oneOf(['accuracy', 'f1', 'fbeta', 'balanced-accuracy', 'gmean'], 'f1', ''),
  beta: opt.number(1, 'β of the F-beta score (metric \'fbeta\'; \'f1\' is β = 1).', '(0, inf)'),
  eps: opt.number(1e-7, 'Added to every denominator.', '(0, inf)'),
};
export type AnyLossOptions = OptionsOf<typeof options>;

/**
 * AnyLoss: one minus a confusion-matrix metric of the batch, made differentiable by an amplified sigmoid.
 *
 * p = σ(z), a = σ(L·(p − ½)) (near-binary predictions); the soft confusion matrix over the batch is
 * TP = Σ y·a, FN = Σ y·(1 − a), FP = Σ (1 − y)·a, TN = Σ (1 − y)·(1 − a) with N₁ = Σ y, N₀ = N − N₁, and
 * the loss is 1 − M with, as in the authors' code (an ε in each denominator):
 * accuracy (TP + TN)/N; F-β (1 + β²)TP / (β²N₁ + Σa + ε) (= (1 + β²)TP/((1 + β²)TP + β²FN + FP));
 * balanced accuracy (N₀TP + N₁TN)/(2N₁N₀ + ε); G-mean surrogate TP·TN/(N₁N₀ + ε) (TPR·TNR, the squared
 * G-mean, whose slope stays finite where a rate is 0). σ is evaluated in its saturating form, so logits
 * of ±1e4 are finite.
 *
 * @param input binary logits [N]
 * @param target labels in {0, 1} [N] (float)
 * @returns a scalar: the batch's 1 − M (the metric is not a per-sample sum, so there is no reduction)
 * @see Han, Moniz & Chawla, "AnyLoss: Transforming Classification Metrics into Loss Functions", 2024
 */
export function anyLoss(...args: Call<[input: Tensor, target: Tensor], AnyLossOptions>): Tensor {
  const [input, target, { L, metric, beta, eps }] = entry.check(args);
  const a = input.sigmoid().sub(0.5).mul(L).sigmoid();
  const y = target.cast(a.dtype);
  const n = a.shape[0];
  const n1 = y.sum();
  const n0 = n1.neg().add(n);
  const sumA = a.sum();
  const tp = y.mul(a).sum();
  const tn = y.neg().add(1).mul(a.neg().add(1)).sum();
  switch (metric) {
    case 'accuracy': return tp.add(tn).div(n).neg().add(1);
    case 'f1':
    case 'fbeta': {
      const b2 = metric === 'f1' ? 1 : beta * beta;
      return tp.mul(1 + b2).div(n1.mul(b2).add(sumA).add(eps)).neg().add(1);
    }
    case 'balanced-accuracy': return n0.mul(tp).add(n1.mul(tn)).div(n1.mul(n0).mul(2).add(eps)).neg().add(1);
    case 'gmean': return tp.mul(tn).div(n1.mul(n0).add(eps)).neg().add(1);
    default: throw new ArgumentError('anyLoss', `unknown metric '${String(metric satisfies never)}'`);
  }
}

export const entry = defineLoss({
  id: 'anyloss',
  fn: anyLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'batch',
});
