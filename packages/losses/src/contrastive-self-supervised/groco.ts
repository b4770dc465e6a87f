import { arange, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  steepness: opt.number(10, 'β of each soft swap σ(β(b − a)); catalog null: 10, so a distance gap of 0.1 (unit embeddings) swaps with odds 0.27.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type GrocoOptions = OptionsOf<typeof options>;

/**
 * The relaxed permutation P [B, M, M] (rank × item) of an odd-even transposition network sorting each row ascending:
 * M layers; layer l soft-swaps positions (i, i + 1) for i ≡ l (mod 2), keeping the smaller value first with
 * probability α = σ(β(x_{i+1} − x_i)): x ← αx + (1 − α)x_partner, rows of P likewise (P starts as the identity).
 */
function oddEvenSoftSort(x: Tensor, beta: number): Tensor {
  const m = x.shape[1];
  let p = x.newOnes([m]).diagEmbed().unsqueeze(0).expand([x.shape[0], m, m]);
  for (let layer = 0; layer < m; layer++) {
    const o = layer % 2;
    const partner = Array.from({ length: m }, (_, i) => (i < o ? i : (i - o) % 2 === 0 ? (i + 1 < m ? i + 1 : i) : i - 1));
    const sign = partner.map((j, i) => Math.sign(j - i)); // +1 first of a pair, −1 second, 0 unpaired
    const idx = tensor(partner, { dtype: 'int32', backend: x.backendName });
    const s = tensor(sign, { dtype: x.dtype, backend: x.backendName });
    const paired = s.abs();
    const z = x.indexSelect(1, idx).sub(x).mul(s).mul(beta);
    // α and 1 − α each from its own sigmoid (σ(−z), not 1 − σ(z), which cancels in float32 as α → 1); α = 1 unpaired.
    const stay = z.sigmoid().mul(paired).add(paired.neg().add(1));
    const swap = z.neg().sigmoid().mul(paired);
    x = x.mul(stay).add(x.indexSelect(1, idx).mul(swap));
    p = p.mul(stay.unsqueeze(-1)).add(p.indexSelect(1, idx).mul(swap.unsqueeze(-1)));
  }
  return p;
}

/**
 * GroCo: a sorting network's soft permutation should put every positive in the first |P| ranks, every negative after.
 *
 * P_soft = oddEvenSoftSort(d; β) [B, M, M] (rank × item, ascending distances); block(r) = positive iff r < |P_b|;
 * m_bi = Σ_{r : block(r) = group(i)} P_soft[b, r, i], the mass of item i in its group's block of ranks;
 * ℓ_b = mean_i BCE(m_bi, 1) = mean_i −max(log m_bi, −100) (PyTorch's BCE clamp).
 *
 * @param input distances from each anchor to its candidates [B, M]
 * @param target which candidates are positives [B, M] (bool)
 * @returns [B] with reduction 'none', else a scalar
 * @see Shvetsova et al., "Learning by Sorting: Self-supervised Learning with Group Ordering Constraints", ICCV 2023
 */
export function grocoLoss(...args: Call<[input: Tensor, target: Tensor], GrocoOptions>): Tensor {
  const [input, target, { steepness, reduction }] = entry.check(args);
  const m = input.shape[1];
  const p = oddEvenSoftSort(input, steepness);
  const pos = target.cast(input.dtype);
  const rankIsPos = arange(0, m, 1, { dtype: input.dtype, backend: input.backendName }).unsqueeze(0).lt(pos.sum(1, true)).cast(input.dtype); // [B, M]
  // block mask [B, r, i]: rank r's group equals item i's group
  const same = rankIsPos.unsqueeze(2).mul(pos.unsqueeze(1)).add(rankIsPos.neg().add(1).unsqueeze(2).mul(pos.neg().add(1).unsqueeze(1)));
  const mass = p.mul(same).sum(1);
  // −log m clamped at 100 as PyTorch's BCE, with no gradient (and no 0·∞) where m = 0.
  const logm = mass.gt(0).where(mass.gt(0).where(mass, 1).log().clamp(-100), -100);
  return applyReduction(logm.neg().mean(1), { reduction });
}

export const entry = defineLoss({
  id: 'groco',
  fn: grocoLoss,
  args: [
    { name: 'input', shape: ['N', 'M'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'M'], dtype: 'bool', domain: 'mask' },
  ],
  options,
  output: 'per-sample',
  reading:
    "An odd-even transposition network of M layers with logistic soft swaps (steepness β = 10, catalog null), sorting distances ascending; the target is " +
    "the group blocks (the first |P| ranks for the positives): the loss is PyTorch's BCE of each item's mass in its group's block against 1, averaged " +
    "over the row's items. Positives may sit anywhere in the row (a mask), not only first.",
});
