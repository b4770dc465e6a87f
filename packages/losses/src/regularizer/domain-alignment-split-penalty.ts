import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  weight: opt.number(1, 'The weight of the penalty beside the trees\' own losses (not given in the abstract; 1 leaves it unscaled).', '[0, inf)'),
  form: opt.oneOf(['cross-domain', 'balanced'], 'cross-domain', "'cross-domain': Σ_k (mean s^S_k − mean s^T_k)²; 'balanced': Σ_k Σ_domain (mean s_k − ½)²."),
};
export type DomainAlignmentSplitPenaltyOptions = OptionsOf<typeof options>;

/**
 * Domain alignment loss of balanced random forests: penalises tree nodes that split the source and the target
 * domain in different (or uneven) proportions.
 *
 * s = σ(w·f + b) is each node's soft split probability. 'cross-domain': L = w·Σ_k (mean_n s^S_kn − mean_n s^T_kn)²;
 * 'balanced': L = w·Σ_k [(mean s^S_k − ½)² + (mean s^T_k − ½)²]. Bounded in [0, K·w] for probabilities.
 *
 * @param source split probabilities of the source samples at each of K nodes [K, Ns]
 * @param target split probabilities of the target samples [K, Nt]
 * @returns a scalar
 * @see Kurmi, Subramanian & Namboodiri, "Collaborative Training of Balanced Random Forests for Open Set Domain Adaptation", 2020
 */
export function domainAlignmentSplitPenalty(...args: Call<[source: Tensor, target: Tensor], DomainAlignmentSplitPenaltyOptions>): Tensor {
  const [source, target, { weight, form }] = entry.check(args);
  const ms = source.mean(-1);
  const mt = target.mean(-1);
  const penalty = form === 'cross-domain' ? ms.sub(mt).square() : ms.sub(0.5).square().add(mt.sub(0.5).square());
  return penalty.sum().mul(weight);
}

export const entry = defineLoss({
  id: 'domain-alignment-split-penalty',
  fn: domainAlignmentSplitPenalty,
  args: [
    { name: 'source', shape: ['K', 'Ns'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['K', 'Nt'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'batch',
  reading: 'The squared difference of each node\'s mean split probability between source and target, summed over nodes (the alternative, each domain\'s deviation from ½, is form \'balanced\').',
});
