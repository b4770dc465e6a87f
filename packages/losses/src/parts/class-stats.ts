/**
 * Class statistics for the imbalance and multi-label objectives: class counts and priors computed
 * from labels, their validation (a zero count is an error, never an infinite margin or weight), the
 * usual weight schemes (inverse frequency, effective number, ...) and the deferred re-weighting
 * (DRW) schedule as a small object with explicit, serialisable state.
 *
 * Convention shared by every entry that takes `classCounts` / `classPriors`: both are option tensors
 * [C]; leaving both out means uniform statistics (every class equally frequent), under which a
 * re-balancing loss reduces to its plain form. Counts must be positive: pass counts + 1 (Laplace
 * smoothing) for classes absent from the training set.
 */
import { ArgumentError, type Tensor, tensor } from '@graft/core';

/**
 * Class counts from labels: class indices [N] (int32) → bincount [C]; multi-hot targets [N, C] → Σ over N.
 * Returned as float64 on the labels' backend, ready to pass as `classCounts`.
 */
export function classCountsFromLabels(labels: Tensor, numClasses: number): Tensor {
  if (labels.dtype === 'int32') {
    const data = labels.data();
    const counts = new Float64Array(numClasses);
    for (const v of data) {
      if (!(v >= 0 && v < numClasses)) throw new ArgumentError('classCountsFromLabels', `class index ${v} is out of range for ${numClasses} classes`);
      counts[v]++;
    }
    return tensor(counts, { dtype: 'float64', backend: labels.backendName });
  }
  if (labels.ndim !== 2 || labels.shape[1] !== numClasses) throw new ArgumentError('classCountsFromLabels', `expected class indices [N] (int32) or multi-hot targets [N, ${numClasses}], got shape [${labels.shape.join(', ')}] (${labels.dtype})`);
  return labels.detach().cast('float64').sum(0);
}

/** Class priors π_c = n_c / Σ n from labels (see classCountsFromLabels). */
export function classPriorsFromLabels(labels: Tensor, numClasses: number): Tensor {
  const counts = classCountsFromLabels(labels, numClasses);
  return counts.div(counts.sum());
}

/** Throws a clear ArgumentError unless every entry of a counts/priors option is finite and > 0. */
export function checkPositive(loss: string, name: string, t: Tensor): void {
  const data = t.data();
  for (let k = 0; k < data.length; k++) {
    if (!(data[k] > 0) || !Number.isFinite(data[k])) {
      throw new ArgumentError(loss, `option '${name}': entry ${k} is ${data[k]}; every class needs a positive ${name === 'classPriors' ? 'prior' : 'count'} (a zero would give an infinite margin or weight): pass counts + 1 for classes absent from the data`);
    }
  }
}

/** The counts option validated, or ones [C] (uniform) when absent, in `like`'s dtype and backend. */
export function countsOrUniform(loss: string, counts: Tensor | null, like: Tensor, c: number): Tensor {
  if (!counts) return like.newOnes([c]);
  checkPositive(loss, 'classCounts', counts);
  return counts.detach().cast(like.dtype);
}

/**
 * log π [C] from `classPriors` (taken as given, renormalised) or `classCounts` (n / Σ n); both absent:
 * the uniform prior log(1/C). Giving both is an error.
 */
export function logPriors(loss: string, counts: Tensor | null, priors: Tensor | null, like: Tensor, c: number): Tensor {
  if (counts && priors) throw new ArgumentError(loss, "give either 'classCounts' or 'classPriors', not both");
  if (priors) checkPositive(loss, 'classPriors', priors);
  const p = priors ? priors.detach().cast(like.dtype) : countsOrUniform(loss, counts, like, c);
  return p.log().sub(p.sum().log());
}

/**
 * Class-balanced weights from the effective number of samples (Cui et al. 2019):
 * w_k = (1 − β)/(1 − β^{n_k}), renormalised to Σ_k w_k = C. 1 − β^n is computed as −expm1(n·log β)
 * (exact for β near 1); β = 0 gives uniform weights.
 */
export function effectiveNumberWeights(counts: Tensor, beta: number): Tensor {
  const c = counts.shape[0];
  if (beta === 0) return counts.newOnes([c]);
  const w = counts.mul(Math.log(beta)).expm1().neg().reciprocal().mul(1 - beta);
  return w.mul(c).div(w.sum());
}

/** The weight schemes of cost-sensitive cross-entropy, each renormalised to Σ_k w_k = C when `normalize`. */
export type WeightScheme = 'inverse-frequency' | 'inverse-sqrt' | 'median-frequency' | 'effective-number' | 'uniform';

export function classWeights(counts: Tensor, scheme: WeightScheme, { beta = 0.9999, normalize = true } = {}): Tensor {
  const c = counts.shape[0];
  let w: Tensor;
  switch (scheme) {
    case 'inverse-frequency': w = counts.reciprocal().mul(counts.sum().div(c)); break; // N / (C·n_k)
    case 'inverse-sqrt': w = counts.rsqrt(); break;
    case 'median-frequency': w = counts.reciprocal().mul(counts.median()); break;
    case 'effective-number': return effectiveNumberWeights(counts, beta);
    case 'uniform': return counts.newOnes([c]);
    default: throw new ArgumentError('classWeights', `unknown scheme '${String(scheme satisfies never)}'`);
  }
  return normalize ? w.mul(c).div(w.sum()) : w;
}

/** LDAM's margins Δ_j = C₀/n_j^{1/4} with C₀ such that max_j Δ_j = mMax, i.e. Δ_j = mMax·(n_min/n_j)^{1/4}. */
export function ldamMargins(counts: Tensor, mMax: number): Tensor {
  const inv = counts.pow(-0.25);
  return inv.mul(mMax).div(inv.amax());
}

// ---- DRW: deferred re-weighting, a schedule with explicit state ----------------------------------

export interface DrwState {
  /** The current epoch (0-based, as in the LDAM-DRW code). */
  epoch: number;
  /** T₀: the epoch at which re-weighting starts. */
  deferEpoch: number;
  beta: number;
  classCounts: number[];
}

export interface DrwWeights {
  /** The per-class weights [C] of the current epoch: ones before T₀, class-balanced from T₀ on. */
  readonly weights: Tensor;
  readonly epoch: number;
  /** Moves the schedule to `epoch` and returns that epoch's weights. */
  update(epoch: number): Tensor;
  stateDict(): DrwState;
  loadStateDict(state: DrwState): void;
}

/** The DRW weights of one epoch: ones [C] before T₀, effectiveNumberWeights(counts, β) from T₀ on. */
export function drwWeightsAt(counts: Tensor, epoch: number, deferEpoch: number, beta: number): Tensor {
  return epoch < deferEpoch ? counts.newOnes([counts.shape[0]]) : effectiveNumberWeights(counts, beta);
}

/**
 * LDAM-DRW's deferred re-weighting schedule (Cao et al. 2019): `update(epoch)` each epoch, then pass
 * `.weights` as the `weight` option of ldam or class-weighted-ce. Its whole state is
 * `{ epoch, deferEpoch, beta, classCounts }` (stateDict / loadStateDict).
 */
export function createDrwWeights({ classCounts, deferEpoch = 160, beta = 0.9999, epoch = 0 }: { classCounts: Tensor | readonly number[]; deferEpoch?: number; beta?: number; epoch?: number }): DrwWeights {
  const toCounts = (c: Tensor | readonly number[]) => (Array.isArray(c) ? tensor(c as number[], { dtype: 'float64' }) : (c as Tensor).detach().cast('float64'));
  let counts = toCounts(classCounts);
  checkPositive('createDrwWeights', 'classCounts', counts);
  if (!(beta >= 0 && beta < 1)) throw new ArgumentError('createDrwWeights', `beta must lie in [0, 1), got ${beta}`);
  let state = { epoch, deferEpoch, beta };
  let weights = drwWeightsAt(counts, epoch, deferEpoch, beta);
  return {
    get weights() { return weights; },
    get epoch() { return state.epoch; },
    update(e: number) {
      if (!Number.isInteger(e) || e < 0) throw new ArgumentError('DrwWeights.update', `epoch must be a non-negative integer, got ${e}`);
      state = { ...state, epoch: e };
      weights = drwWeightsAt(counts, e, state.deferEpoch, state.beta);
      return weights;
    },
    stateDict: () => ({ ...state, classCounts: Array.from(counts.data()) }),
    loadStateDict(s: DrwState) {
      counts = toCounts(s.classCounts);
      checkPositive('DrwWeights.loadStateDict', 'classCounts', counts);
      state = { epoch: s.epoch, deferEpoch: s.deferEpoch, beta: s.beta };
      weights = drwWeightsAt(counts, s.epoch, s.deferEpoch, s.beta);
    },
  };
}
