import { ArgumentError, noGrad, tidy, type Tensor } from '@graft/core';
import { checkBetas, checkNonNegative } from './checks.js';
import { checkGradLists } from './multi-loss.js';
import { OptimizerBase, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import type { GradList } from './tensor-lists.js';

export interface MultiAdamOptions {
  lr: number;
  /** (β₁, β₂) of every loss group's moments (default [0.99, 0.99]). */
  betas: [number, number];
  eps: number;
  /** Weights aₖ of the loss groups' updates; null (default) means equal weights 1/K. */
  lossWeights: number[] | null;
}

export const multiAdamDefaults: MultiAdamOptions = { lr: 1e-3, betas: [0.99, 0.99], eps: 1e-8, lossWeights: null };

/** State: step, and m0, v0, m1, v1, ... for the K loss groups. */
type MultiAdamState = ParamState & { step: number };

/**
 * MultiAdam: separate Adam moments per loss group (e.g. a PINN's PDE residual and boundary terms),
 * so each group's update is scale-invariant and terms of very different magnitudes count equally:
 *
 *     for each loss k with gradient gₖ:  mₖ ← β₁mₖ + (1 − β₁)gₖ;  vₖ ← β₂vₖ + (1 − β₂)gₖ²
 *     uₖ = (mₖ/(1 − β₁ᵗ)) / (√vₖ/√(1 − β₂ᵗ) + ε)
 *     w ← w − lr·Σₖ aₖ·uₖ
 *
 * `step(lossGrads)` takes one gradient list per loss (see `lossGradients`); a missing gradient
 * counts as zero for that loss. Reading: the abstract's "parameter-wise balance of the loss terms
 * with gradient momentum", as third-party ports (PINNacle) implement it, with their defaults.
 *
 * @see Yao et al., MultiAdam: Parameter-wise Scale-invariant Optimizer for Multiscale Training of Physics-informed Neural Networks, ICML 2023, arXiv:2306.02816.
 */
export class MultiAdam extends OptimizerBase<MultiAdamOptions, MultiAdamState> {
  private losses: number | null = null;

  constructor(params: Params<MultiAdamOptions>, options: Partial<MultiAdamOptions> = {}) {
    super(params, multiAdamDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<MultiAdamOptions>, index: number): void {
    super.validateGroup(group, index);
    checkBetas(this.label, 'betas', group.betas);
    checkNonNegative(this.label, 'eps', group.eps);
    if (group.lossWeights !== null) {
      if (!Array.isArray(group.lossWeights)) throw new ArgumentError(this.label, `lossWeights must be an array of numbers or null, got ${String(group.lossWeights)}`);
      group.lossWeights.forEach((a, i) => checkNonNegative(this.label, `lossWeights[${i}]`, a));
    }
  }

  protected initState(): MultiAdamState { return { step: 0 }; }
  protected override dynamicStateKeys = /^[mv]\d+$/;

  /** One update from K gradient lists (one per loss, each aligned with `params()`). */
  step(lossGrads: readonly GradList[]): void {
    this.checkGroups();
    checkGradLists(this.label, lossGrads, this.params().length);
    const K = lossGrads.length;
    if (this.losses !== null && this.losses !== K) throw new ArgumentError(this.label, `got ${K} gradient lists, but earlier steps had ${this.losses}`);
    this.losses = K;
    let i = 0;
    tidy(() => noGrad(() => {
      for (const group of this.paramGroups) {
        const weights = group.lossWeights ?? Array.from({ length: K }, () => 1 / K);
        if (weights.length !== K) throw new ArgumentError(this.label, `lossWeights has ${weights.length} entries for ${K} losses`);
        for (const p of group.params) {
          const gs = lossGrads.map((l) => l[i]);
          i++;
          if (gs.every((g) => g === null)) continue;
          this.updateParam(p, gs, this.stateFor(p, group), group, weights);
        }
      }
    }));
    this.runStepHooks();
  }

  private updateParam(p: Tensor, gs: (Tensor | null)[], state: MultiAdamState, group: ParamGroup<MultiAdamOptions>, weights: number[]): void {
    const { lr, betas: [beta1, beta2], eps } = group;
    const t = ++state.step;
    const bc1 = 1 - beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    let update: Tensor | null = null;
    gs.forEach((g0, k) => {
      const g = g0 ?? p.zerosLike();
      const [mPrev, vPrev] = [state[`m${k}`] as Tensor | undefined, state[`v${k}`] as Tensor | undefined];
      const m = state[`m${k}`] = replaceState(mPrev, (mPrev ?? p.zerosLike()).mul(beta1).add(g.mul(1 - beta1)));
      const v = state[`v${k}`] = replaceState(vPrev, (vPrev ?? p.zerosLike()).mul(beta2).add(g.mul(g).mul(1 - beta2)));
      const u = m.div(bc1).div(v.sqrt().div(bc2Sqrt).add(eps)).mul(weights[k]);
      update = update ? update.add(u) : u;
    });
    p.assign(p.sub(update!.mul(lr)));
  }
}
