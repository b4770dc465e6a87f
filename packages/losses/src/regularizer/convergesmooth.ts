import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(1, 'λ: the weight of the oscillation penalty (not given in the abstract; 1).', '[0, inf)'),
  stride: opt.number(0, 'The change of the loss allowed between adjacent steps before it is penalised (not given in the abstract; 0 penalises any change).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type ConvergesmoothOptions = OptionsOf<typeof options>;

/** The previous loss ConvergeSmooth compares against, as explicit serialisable state: `update(loss)` after each step. */
export interface ConvergeSmoothState {
  /** The last recorded (detached) loss values, or null before the first step. */
  previous(): number[] | null;
  update(loss: Tensor): void;
  stateDict(): { previous: number[] | null };
  loadStateDict(state: { previous: number[] | null }): void;
}

export function createConvergeSmoothState(): ConvergeSmoothState {
  let previous: number[] | null = null;
  return {
    previous: () => previous,
    update: (loss) => { previous = Array.from(loss.detach().data()); },
    stateDict: () => ({ previous: previous && [...previous] }),
    loadStateDict: (s) => { previous = s.previous && [...s.previous]; },
  };
}

/**
 * ConvergeSmooth's oscillatory loss constraint for fast adversarial training: the adversarial loss may move by up to
 * a stride between adjacent steps (or epochs); a larger jump, the sign of catastrophic overfitting, is penalised.
 *
 * ℓ = L_t + λ·relu(|L_t − sg(L_{t−1})| − stride), elementwise (a scalar batch loss, or per-sample losses against
 * their previous values). The previous loss is state: keep it with createConvergeSmoothState().
 *
 * @param input the current adversarial loss L_t [...] (a scalar [] or per-sample [N])
 * @param previous the previous step's loss L_{t−1} (broadcast to input; no gradient)
 * @returns the constrained loss: a scalar, or the elementwise values with reduction 'none'
 * @see Zhao et al., "Fast Adversarial Training with Smooth Convergence", ICCV 2023
 */
export function convergesmooth(...args: Call<[input: Tensor, previous: Tensor], ConvergesmoothOptions>): Tensor {
  const [loss, previous, { lambda, stride, reduction }] = entry.check(args);
  const jump = loss.sub(previous.detach()).abs().sub(stride).relu();
  return applyReduction(loss.add(jump.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'convergesmooth',
  fn: convergesmooth,
  args: [
    { name: 'input', shape: ['...'], dtype: 'float', domain: 'real' },
    { name: 'previous', shape: ['...'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'elementwise',
  reading: 'L = L_t + λ·relu(|L_t − sg(L_{t−1})| − stride), applied to the batch loss or elementwise to per-sample losses; λ = 1, stride = 0 by default.',
});
