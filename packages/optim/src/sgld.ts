import { Generator, randn, type Tensor } from '@graft/core';
import { checkFinite, checkNonNegative, checkPositive } from './checks.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface SGLDOptions {
  /** Step size η (no documented default; 1e-4 here). Welling & Teh's ε_t is 2η. */
  lr: number;
  /** Temperature T of the sampled density exp(−U/T) (default 1: the posterior). */
  temperature: number;
  /** Gaussian prior precision λ: adds λ·w to ∇U (default 0: flat prior). */
  priorWeightDecay: number;
  /** N/n: multiplies the gradient of a batch-mean loss to get N × the mean (default 1). */
  datasetSize: number;
  /** Seed of the noise; step t of parameter i draws from Generator(hash(seed, t, i)) (default 0). */
  seed: number;
}

export const sgldDefaults: SGLDOptions = { lr: 1e-4, temperature: 1, priorWeightDecay: 0, datasetSize: 1, seed: 0 };

interface SGLDState extends ParamState { step: number }

/**
 * Stochastic Gradient Langevin Dynamics, with lr meaning η = ε/2 of Welling & Teh:
 *
 *     ∇U = datasetSize·∇f(w) + priorWeightDecay·w      (U: negative log posterior)
 *     w ← w − η·∇U + √(2ηT)·ξ,   ξ ~ N(0, I)
 *
 * The iterates are (approximate) samples of exp(−U/T); average predictions over them to ensemble.
 * The noise is seeded per (seed, step, parameter index) through core's Generator, so a run is
 * reproducible and a state dict (which saves the step counts) resumes the same noise stream.
 *
 * @see Welling & Teh, Bayesian Learning via Stochastic Gradient Langevin Dynamics, ICML 2011.
 */
export class SGLD extends Optimizer<SGLDOptions, SGLDState> {
  private index: Map<Tensor, number> | null = null;

  constructor(params: Params<SGLDOptions>, options: Partial<SGLDOptions> = {}) {
    super(params, sgldDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<SGLDOptions>, index: number): void {
    super.validateGroup(group, index);
    checkNonNegative(this.label, 'temperature', group.temperature);
    checkNonNegative(this.label, 'priorWeightDecay', group.priorWeightDecay);
    checkPositive(this.label, 'datasetSize', group.datasetSize);
    checkFinite(this.label, 'seed', group.seed);
  }

  protected initState(): SGLDState { return { step: 0 }; }

  protected updateParam(p: Tensor, grad: Tensor, state: SGLDState, group: ParamGroup<SGLDOptions>): void {
    const t = ++state.step;
    this.index ??= new Map(this.params().map((q, i) => [q, i]));
    let gU = group.datasetSize === 1 ? grad : grad.mul(group.datasetSize);
    if (group.priorWeightDecay !== 0) gU = gU.add(p.mul(group.priorWeightDecay));
    let w = p.sub(gU.mul(group.lr));
    if (group.temperature !== 0) {
      const generator = new Generator(mix(group.seed, t, this.index.get(p) ?? 0));
      const noise = randn(p.shape, { generator, dtype: p.dtype, backend: p.backendName });
      w = w.add(noise.mul(Math.sqrt(2 * group.lr * group.temperature)));
    }
    p.assign(w);
  }
}

/** A 32-bit hash of (seed, step, index): distinct streams for every parameter at every step. */
function mix(seed: number, step: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [step, index]) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
