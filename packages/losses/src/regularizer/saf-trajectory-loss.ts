import { ArgumentError, type Tensor, tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lam: opt.number(0.3, 'λ: weight of the trajectory term (null in the catalog; 0.3 is our choice, tune it).', '[0, inf)'),
  tau: opt.number(5, 'τ: the softmax temperature of both outputs (null in the catalog; 5 is our choice, tune it).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SafTrajectoryLossOptions = OptionsOf<typeof options>;

/** Serialisable state of a trajectory memory: the logits of every sample at each of the last E epochs. */
export interface TrajectoryMemoryState {
  numSamples: number;
  numClasses: number;
  E: number;
  /** E slots of numSamples·numClasses logits (row-major), slot e mod E written at epoch e */
  slots: number[][];
  /** the epoch each sample was last written in each slot (−1: never) */
  written: number[][];
}

/**
 * A per-sample memory bank of logits for SAF: `record(epoch, indices, logits)` stores this epoch's
 * outputs, `past(epoch, indices)` returns the outputs the same samples had E epochs earlier (null while
 * any of them has no record that old: the warm-up). `stateDict()` / `createTrajectoryMemory(state)` save and
 * restore it.
 */
export function createTrajectoryMemory(init: { numSamples: number; numClasses: number; E?: number } | TrajectoryMemoryState) {
  const E = init.E ?? 3;
  if (!Number.isInteger(E) || E < 1) throw new ArgumentError('createTrajectoryMemory', `E must be a positive integer, got ${E}`);
  const { numSamples, numClasses } = init;
  const state: TrajectoryMemoryState = 'slots' in init ? structuredClone(init)
    : { numSamples, numClasses, E, slots: Array.from({ length: E }, () => new Array<number>(numSamples * numClasses).fill(0)), written: Array.from({ length: E }, () => new Array<number>(numSamples).fill(-1)) };
  const ids = (indices: Tensor) => Array.from(indices.data(), Number);
  return {
    /** Stores the (detached) logits [B, K] of samples `indices` [B] at `epoch`. */
    record(epoch: number, indices: Tensor, logits: Tensor): void {
      const slot = epoch % E;
      const values = logits.detach().data();
      ids(indices).forEach((i, b) => {
        for (let k = 0; k < numClasses; k++) state.slots[slot][i * numClasses + k] = values[b * numClasses + k];
        state.written[slot][i] = epoch;
      });
    },
    /** The logits [B, K] recorded at epoch − E for samples `indices`, or null if any is missing. Call before `record`. */
    past(epoch: number, indices: Tensor, like: Tensor): Tensor | null {
      const slot = (epoch - E) % E;
      if (epoch < E) return null;
      const rows = ids(indices);
      if (rows.some((i) => state.written[slot][i] !== epoch - E)) return null;
      const out = rows.flatMap((i) => state.slots[slot].slice(i * numClasses, (i + 1) * numClasses));
      return tensor(Float64Array.from(out), { dtype: like.dtype, backend: like.backendName }).reshape([rows.length, numClasses]);
    },
    stateDict: (): TrajectoryMemoryState => structuredClone(state),
  };
}

/**
 * SAF trajectory loss: cross-entropy plus λ times the KL divergence from the same samples' outputs
 * E epochs earlier to the current ones (tempered), a free surrogate of SAM's sharpness term.
 *
 * ℓᵢ = CE(zᵢ, yᵢ) + λ·KL(softmax(ẑᵢ/τ) ‖ softmax(zᵢ/τ)), ẑ the past logits (constant). The KL is
 * Σ_k q_k(log q_k − log p_k) with both logs from max-shifted log-softmaxes (q = exp(log q) is 0 exactly where
 * log q is very negative, and the product stays finite), so logits of ±1e4 are finite. `createTrajectoryMemory`
 * keeps ẑ per sample; before E epochs have passed (the warm-up) train with CE alone. For MESA, pass an EMA
 * teacher's logits as ẑ.
 *
 * @param logits current logits z [B, K]
 * @param pastLogits the same samples' logits E epochs earlier ẑ [B, K] (no gradient)
 * @param target class indices [B] (int32)
 * @returns a scalar, or [B] with reduction 'none'
 * @see Du, Zhou, Feng, Ong & Goh, "Sharpness-Aware Training for Free", NeurIPS 2022
 */
export function safTrajectoryLoss(...args: Call<[logits: Tensor, pastLogits: Tensor, target: Tensor], SafTrajectoryLossOptions>): Tensor {
  const [logits, pastLogits, target, { lam, tau, reduction }] = entry.check(args);
  const logQ = pastLogits.detach().div(tau).logSoftmax(-1);
  const logP = logits.div(tau).logSoftmax(-1);
  const kl = logQ.exp().mul(logQ.sub(logP)).sum(-1);
  return applyReduction(crossEntropy(logits, target, { reduction: 'none' }).add(kl.mul(lam)), { reduction });
}

export const entry = defineLoss({
  id: 'saf-trajectory-loss',
  fn: safTrajectoryLoss,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'pastLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
