import { noGrad, tidy, type Tensor } from '@graft/core';
import { checkNonNegative } from './checks.js';
import { checkGradLists } from './multi-loss.js';
import { OptimizerBase, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import type { GradList } from './tensor-lists.js';

export interface DOTOptions {
  /** Learning rate (default 0.05, mdistiller's CIFAR setting). */
  lr: number;
  /** Base momentum μ (default 0.9); the task buffer uses μ − δ, the distillation buffer μ + δ. */
  momentum: number;
  /** δ (default 0.075). */
  delta: number;
  dampening: number;
  /** Coupled L2 weight decay, applied with the task gradient (default 0). */
  weightDecay: number;
}

export const dotDefaults: DOTOptions = { lr: 0.05, momentum: 0.9, delta: 0.075, dampening: 0, weightDecay: 0 };

interface DOTState extends ParamState { taskBuffer: Tensor | null; kdBuffer: Tensor | null }

/**
 * DOT, the Distillation-Oriented Trainer: SGD with separate momentum buffers for the task and the
 * knowledge-distillation gradients, more momentum for distillation (μ + δ) and less for the task
 * (μ − δ). Per step, in the official code's order (megvii-research/mdistiller, engine/dot.py):
 *
 *     task pass, for w with a task gradient:  d = g_task + λw
 *         b_task ← d (first step)  else  μ_t·b_task + (1 − τ)d      (μ_t = μ − δ; (μ_t + μ_kd)/2 for w without a KD gradient)
 *         w ← w − lr·b_task
 *     KD pass, for w with a KD gradient:  d = g_kd (+ λw only if w has no task gradient)
 *         b_kd ← g_kd (first step)  else  μ_kd·b_kd + (1 − τ)d        (μ_kd = μ + δ; (μ_t + μ_kd)/2 for w without a task gradient)
 *         w ← w − lr·b_kd
 *
 * `step(taskGrads, kdGrads)` takes both gradients (e.g. from `lossGradients([task, kd], params)`).
 *
 * @see Zhao et al., DOT: A Distillation-Oriented Trainer, ICCV 2023, arXiv:2307.08436.
 */
export class DOT extends OptimizerBase<DOTOptions, DOTState> {
  constructor(params: Params<DOTOptions>, options: Partial<DOTOptions> = {}) {
    super(params, dotDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<DOTOptions>, index: number): void {
    super.validateGroup(group, index);
    checkNonNegative(this.label, 'delta', group.delta);
    checkNonNegative(this.label, 'momentum − delta', group.momentum - group.delta);
    checkNonNegative(this.label, 'dampening', group.dampening);
    checkNonNegative(this.label, 'weightDecay', group.weightDecay);
  }

  protected initState(): DOTState { return { taskBuffer: null, kdBuffer: null }; }

  step(taskGrads: GradList, kdGrads: GradList): void {
    this.checkGroups();
    const n = this.params().length;
    checkGradLists(this.label, [taskGrads, kdGrads], n, 2);
    tidy(() => noGrad(() => {
      // Task pass over every group, then the KD pass (as the official code: all task updates first).
      for (const pass of ['task', 'kd'] as const) {
        let i = 0;
        for (const group of this.paramGroups) {
          const { lr, momentum, delta, dampening, weightDecay } = group;
          const [muTask, muKd] = [momentum - delta, momentum + delta];
          const muMean = (muTask + muKd) / 2;
          for (const p of group.params) {
            const [gTask, gKd] = [taskGrads[i], kdGrads[i]];
            i++;
            if (pass === 'task' && gTask) {
              const s = this.stateFor(p, group);
              let d = weightDecay !== 0 ? gTask.add(p.mul(weightDecay)) : gTask;
              if (muTask !== 0) {
                s.taskBuffer = replaceState(s.taskBuffer, s.taskBuffer === null ? d.clone() : s.taskBuffer.mul(gKd ? muTask : muMean).add(d.mul(1 - dampening)));
                d = s.taskBuffer;
              }
              p.assign(p.sub(d.mul(lr)));
            } else if (pass === 'kd' && gKd) {
              const s = this.stateFor(p, group);
              const prev = s.kdBuffer;
              s.kdBuffer = replaceState(prev, prev === null ? gKd.clone()
                : gTask ? prev.mul(muKd).add(gKd.mul(1 - dampening))
                : prev.mul(muMean).add((weightDecay !== 0 ? gKd.add(p.mul(weightDecay)) : gKd).mul(1 - dampening)));
              p.assign(p.sub(s.kdBuffer.mul(lr)));
            }
          }
        }
      }
    }));
    this.runStepHooks();
  }
}
