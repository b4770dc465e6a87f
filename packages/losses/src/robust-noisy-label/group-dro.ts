import { ArgumentError, IndexError, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  groupWeights: opt.tensor(['G'], 'q [G]: the online group weights before this step (a GroupDroState keeps them); null: the hard worst-group loss.'),
  eta: opt.number(0.01, 'η: the step size of the exponentiated-gradient update of q.', '[0, inf)'),
  numGroups: opt.integer(null, 'G for integer group ids; null: the length of groupWeights, else the largest id + 1.', '[1, inf)'),
};
export type GroupDroOptions = OptionsOf<typeof options>;

/** Per-group mean losses L_g [G] and which groups are present, from a membership mask [N, G]. */
function groupMeans(losses: Tensor, member: Tensor): { means: Tensor; present: Tensor } {
  const counts = member.sum(0);
  const present = counts.gt(0);
  const means = losses.unsqueeze(-1).mul(member).sum(0).div(present.where(counts, 1)); // empty groups: 0
  return { means, present };
}

function membership(fn: string, groups: Tensor, like: Tensor, g: number | null): Tensor {
  if (groups.dtype !== 'int32') return groups.cast(like.dtype);
  const ids = groups.data();
  const count = g ?? Math.max(0, ...Array.from(ids)) + 1;
  for (const v of ids) if (v < 0 || v >= count) throw new IndexError(fn, `groups: group id ${v} is out of range for ${count} groups`);
  return groups.oneHot(count).cast(like.dtype);
}

/** The online weights' update: q ← q·exp(η·sg(L_g)), renormalised (empty groups have L_g = 0). */
function updatedWeights(q: Tensor, means: Tensor, eta: number): Tensor {
  const w = q.mul(means.detach().mul(eta).exp());
  return w.div(w.sum());
}

/**
 * Group DRO: the worst group's mean loss, hard or with online group weights.
 *
 * L_g = mean_{i: gᵢ = g} lᵢ. Hard form (no groupWeights): L = max over the present groups of L_g. Online form
 * (Sagawa et al.): q ← q·exp(η·sg(L_g)), renormalised, then L = Σ_g q_g·L_g (an empty group has L_g = 0, so
 * it neither moves q nor adds to L). Pass the previous q as groupWeights; `createGroupDroState` keeps it
 * across steps (its `update` applies the same rule). Groups are integer ids [N], or a membership mask [N, G].
 *
 * @param losses per-sample losses [N]
 * @param groups group ids [N] (int32), or a 0/1 membership mask [N, G]
 * @returns a scalar
 * @see Sagawa et al., "Distributionally Robust Neural Networks for Group Shifts", ICLR 2020; as used in
 *   "Assessing Algorithmic Bias in Language-Based Depression Detection: A Comparison of DNN and LLM Approaches", 2025
 */
export function groupDroLoss(...args: Call<[losses: Tensor, groups: Tensor], GroupDroOptions>): Tensor {
  const [losses, groups, { groupWeights, eta, numGroups }] = entry.check(args);
  const member = membership('groupDroLoss', groups, losses, numGroups ?? groupWeights?.shape[0] ?? null);
  const { means, present } = groupMeans(losses, member);
  if (!groupWeights) return means.maskedFill(present.logicalNot(), -Infinity).amax();
  if (groupWeights.shape[0] !== means.shape[0]) throw new ArgumentError('groupDroLoss', `option 'groupWeights': expected ${means.shape[0]} groups, got ${groupWeights.shape[0]}`);
  return updatedWeights(groupWeights.detach(), means, eta).mul(means).sum();
}

/** Serialisable state of online Group DRO. */
export interface GroupDroStateDict { q: number[]; eta: number }

/** Online Group DRO weights: `weights()` for this step's groupWeights, then `update(losses, groups)` after it. */
export interface GroupDroState {
  /** The current q [G] (uniform at first). */
  weights(): Tensor;
  /** q ← normalise(q·exp(η·L_g)) with this batch's group means; returns the new q. */
  update(losses: Tensor, groups: Tensor): Tensor;
  stateDict(): GroupDroStateDict;
  loadStateDict(state: GroupDroStateDict): void;
}

export function createGroupDroState(numGroups: number, { eta = 0.01 }: { eta?: number } = {}): GroupDroState {
  let q = Array.from({ length: numGroups }, () => 1 / numGroups);
  const weights = () => tensor(q, { dtype: 'float64' });
  return {
    weights,
    update(losses, groups) {
      const member = membership('GroupDroState.update', groups, losses, numGroups);
      const { means } = groupMeans(losses.detach(), member);
      const next = updatedWeights(weights().cast(losses.dtype).to(losses.backendName), means, eta);
      q = Array.from(next.data());
      return next;
    },
    stateDict: () => ({ q: [...q], eta }),
    loadStateDict(state) { q = [...state.q]; eta = state.eta; },
  };
}

export const entry = defineLoss({
  id: 'group-dro',
  fn: groupDroLoss,
  args: [
    { name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'groups', shape: ['N', 'G'], dtype: 'float', domain: 'mask', classes: 'G', or: { shape: ['N'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'batch',
});
