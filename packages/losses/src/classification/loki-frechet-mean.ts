import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';

/**
 * Loki: the Fréchet-mean prediction rule, a training-free replacement for argmax over a label space
 * larger than the observed classes.
 *
 * ŷᵢ = argmin_{y ∈ Y_all} Σ_k p_ik·d²(y, k), i.e. the argmin over the rows of p·D²ᵀ, with D² the squared
 * distances between every label and each observed class (from an external graph metric such as WordNet
 * shortest paths, or from class embeddings).
 *
 * @param input probabilities over the K observed classes p [N, K]
 * @param sqDistances squared distances D² [Y, K] between all Y labels and the K observed classes
 * @returns predicted label indices [N] (int32)
 * @see Roberts et al., "Geometry-Aware Adaptation for Pretrained Models", NeurIPS 2023
 */
export function lokiFrechetMean(...args: Call<[input: Tensor, sqDistances: Tensor], Record<string, never>>): Tensor {
  const [input, sqDistances] = entry.check(args);
  return input.matmul(sqDistances.T).argmin(-1);
}

export const entry = defineLoss({
  id: 'loki-frechet-mean',
  fn: lokiFrechetMean,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'simplex' },
    { name: 'sqDistances', shape: ['Y', 'K'], dtype: 'float', domain: 'nonneg' },
  ],
  options: {},
  output: 'per-sample',
  nonDifferentiable: 'an argmin prediction rule: piecewise constant in its inputs, it returns class indices',
});
