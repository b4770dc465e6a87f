import { ShapeError, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(1, 'λ: the loss balance coefficient (null in the catalog, the method\'s only hyperparameter; 1 is a neutral start, tune it).', '[0, inf)'),
};
export type WeightCentralizationOptions = OptionsOf<typeof options>;

/** Serialisable state of a running weight average: the mean of `count` recorded snapshots. */
export interface WeightAverageState { count: number; shape: number[]; mean: number[] }

/**
 * The running average θ̄ of past weights (one snapshot per epoch, say): `update(θ)` folds one snapshot in,
 * `average(like)` returns θ̄ as a tensor, `stateDict()` / `createWeightAverage(state)` save and restore it.
 */
export function createWeightAverage(init?: WeightAverageState) {
  const state: WeightAverageState = init ? structuredClone(init) : { count: 0, shape: [], mean: [] };
  return {
    update(weight: Tensor): void {
      const values = weight.detach().data();
      if (state.count === 0) { state.shape = [...weight.shape]; state.mean = Array.from(values, Number); }
      else state.mean = state.mean.map((m, i) => m + (values[i] - m) / (state.count + 1));
      state.count++;
    },
    average(like: Tensor): Tensor {
      return tensor(Float64Array.from(state.mean), { dtype: like.dtype, backend: like.backendName }).reshape(state.shape);
    },
    stateDict: (): WeightAverageState => structuredClone(state),
  };
}

/**
 * Weight centralisation for fast adversarial training: a penalty keeping the weights near the average
 * of their previous values, which smooths convergence and prevents catastrophic overfitting.
 *
 * R = λ·‖θ − sg(θ̄)‖², summed over the entries, θ̄ the mean of the weights of previous epochs (held constant;
 * `createWeightAverage` keeps it). One call per parameter tensor.
 *
 * @param weight the current parameters θ [...]
 * @param average the running average of past weights θ̄, shaped like θ (constant)
 * @returns a scalar
 * @see Zhao et al., "Fast Adversarial Training with Smooth Convergence", ICCV 2023
 */
export function weightCentralization(...args: Call<[weight: Tensor, average: Tensor], WeightCentralizationOptions>): Tensor {
  const [weight, average, { lambda }] = entry.check(args);
  if (weight.shape.join() !== average.shape.join()) throw new ShapeError('weightCentralization', `average: expected the shape of weight [${weight.shape.join(', ')}], got [${average.shape.join(', ')}]`);
  return weight.sub(average.detach()).square().sum().mul(lambda);
}

export const entry = defineLoss({
  id: 'weight-centralization',
  fn: weightCentralization,
  args: [
    { name: 'weight', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'average', shape: ['N', '...'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'R = λ‖θ − sg(θ̄)‖² summed over entries, θ̄ the plain mean of the weights recorded at previous epochs (the abstract names only a balance coefficient); λ defaults to 1.',
});
