import { ArgumentError, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  cutNoisy: opt.number(2, 'β_np: a pair whose history mean is at or below μ − β_np·σ is a potential noisy positive (the authors\' cut_np, 2).', '[0, inf)'),
  cutFaulty: opt.number(3, 'β_fp: a pair whose history mean is at or above μ + β_fp·σ is a potential faulty positive (the authors\' cut_fp, 3).', '[0, inf)'),
  warmupEpochs: opt.integer(50, 'Epochs of plain training first: pairs are reweighted once the memory holds at least this many epochs (authors: 50 of 80).', '[0, inf)'),
  totalEpochs: opt.integer(80, 'T of the epoch weights (t + 1)/T in the history mean (the authors\' max_epochs, 80).', '[1, inf)'),
  reduction: opt.reduction(),
};
export type DbpmOptions = OptionsOf<typeof options>;

/**
 * DBPM: dynamic bad pair mining, a reweighting of per-pair contrastive losses by each pair's loss history.
 *
 * The memory holds each positive pair's loss at every past epoch, h [P, E]. History means
 * m_p = mean_t h_pt·(t + 1)/T; population statistics μ = mean_p m_p, σ = std_p m_p (population). Pair i of the batch
 * (id pᵢ) is a potential noisy positive when m_pᵢ ≤ μ − β_np·σ and a faulty one when m_pᵢ ≥ μ + β_fp·σ; such a pair's
 * loss is scaled by the normal density wᵢ = φ((sg(lᵢ) − μ)/σ)/σ of its current loss under N(μ, σ²), every other
 * pair keeps wᵢ = 1: the values are wᵢ·lᵢ. Reweighting starts once E ≥ max(warmupEpochs, 1); with σ = 0 no pair
 * is an outlier. A loss far from μ gets w = 0 (exp underflows to 0, never NaN).
 *
 * Follows lanxiang1017/DynamicBadPairMining_ICLR24, models/dbpm_model.py (simpleModel.fit). `createDbpmMemory`
 * keeps the history across epochs.
 *
 * @param losses the batch's per-pair contrastive losses lᵢ [N]
 * @param ids the pairs' indices in the memory [N] (int32, in [0, P))
 * @param history the memory: every pair's loss at each past epoch [P, E] (no gradient)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Lan, Yan, Hong, Feng, "Towards Enhancing Time Series Contrastive Learning: A Dynamic Bad Pair Mining
 *   Approach", ICLR 2024
 */
export function dbpmLoss(...args: Call<[losses: Tensor, ids: Tensor, history: Tensor], DbpmOptions>): Tensor {
  const [losses, ids, history, { cutNoisy, cutFaulty, warmupEpochs, totalEpochs, reduction }] = entry.check(args);
  const epochs = history.shape[1];
  if (epochs < Math.max(warmupEpochs, 1)) return applyReduction(losses, { reduction });
  const h = history.detach().cast(losses.dtype);
  const epochWeights = tensor(Array.from({ length: epochs }, (_, t) => (t + 1) / totalEpochs), { dtype: h.dtype, backend: h.backendName });
  const means = h.mul(epochWeights).mean(1);
  const mu = means.mean();
  const sigma = means.sub(mu).square().mean().sqrt();
  const spread = sigma.gt(0);
  const safeSigma = spread.where(sigma, 1);
  const m = means.indexSelect(0, ids);
  const outlier = m.le(mu.sub(safeSigma.mul(cutNoisy))).logicalOr(m.ge(mu.add(safeSigma.mul(cutFaulty)))).logicalAnd(spread);
  const standardized = losses.detach().sub(mu).div(safeSigma);
  const density = standardized.square().mul(-0.5).exp().div(safeSigma.mul(Math.sqrt(2 * Math.PI)));
  return applyReduction(outlier.where(density, 1).mul(losses), { reduction });
}

/** Serialisable state of a DBPM memory: the finished epochs' losses (E rows of P) and the current epoch's so far. */
export interface DbpmMemoryState { numPairs: number; epochs: number[][]; current: (number | null)[] }

/** The DBPM memory: `update(ids, losses)` during an epoch, `endEpoch()` after it, `history()` for dbpmLoss. */
export interface DbpmMemory {
  /** Records the batch's (detached) per-pair losses for the current epoch. */
  update(ids: Tensor, losses: Tensor): void;
  /** Closes the epoch; every pair must have been recorded in it. */
  endEpoch(): void;
  /** The history [P, E] (float64; E = 0 before the first epoch ends). */
  history(): Tensor;
  stateDict(): DbpmMemoryState;
  loadStateDict(state: DbpmMemoryState): void;
}

export function createDbpmMemory(numPairs: number): DbpmMemory {
  let epochs: number[][] = [];
  let current: (number | null)[] = Array.from({ length: numPairs }, () => null);
  return {
    update(ids, losses) {
      const id = ids.data();
      const l = losses.detach().data();
      if (id.length !== l.length) throw new ArgumentError('DbpmMemory.update', `ids and losses differ in length (${id.length} and ${l.length})`);
      id.forEach((p, k) => {
        if (!Number.isInteger(p) || p < 0 || p >= numPairs) throw new ArgumentError('DbpmMemory.update', `pair id ${p} is out of range for ${numPairs} pairs`);
        current[p] = l[k];
      });
    },
    endEpoch() {
      const missing = current.findIndex((v) => v === null);
      if (missing >= 0) throw new ArgumentError('DbpmMemory.endEpoch', `pair ${missing} has no loss recorded this epoch`);
      epochs.push(current as number[]);
      current = Array.from({ length: numPairs }, () => null);
    },
    history() {
      const rows = Array.from({ length: numPairs }, (_, p) => epochs.map((e) => e[p]));
      return tensor(rows.flat(), { dtype: 'float64' }).reshape([numPairs, epochs.length]);
    },
    stateDict: () => ({ numPairs, epochs: epochs.map((e) => [...e]), current: [...current] }),
    loadStateDict(state) {
      if (state.numPairs !== numPairs) throw new ArgumentError('DbpmMemory.loadStateDict', `expected ${numPairs} pairs, got ${state.numPairs}`);
      epochs = state.epochs.map((e) => [...e]);
      current = [...state.current];
    },
  };
}

export const entry = defineLoss({
  id: 'dbpm',
  fn: dbpmLoss,
  args: [
    { name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'ids', shape: ['N'], dtype: 'int', domain: 'label', classes: 'P' },
    { name: 'history', shape: ['P', 'E'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The authors\' rule (DynamicBadPairMining_ICLR24): epoch-weighted history means, outliers beyond μ − 2σ (noisy) or μ + 3σ (faulty) of the population, their losses scaled by the N(μ, σ²) density of the current loss; the per-pair losses (any contrastive loss, e.g. NT-Xent per pair) and the memory are arguments, the memory an explicit object (createDbpmMemory) the caller updates each epoch.',
  surrogateGradient: 'The weight wᵢ is computed from the detached loss, as in the authors\' code (a constant factor per step): the gradient is wᵢ·∂lᵢ, not the derivative of wᵢ·lᵢ; the fixtures check it.',
});
