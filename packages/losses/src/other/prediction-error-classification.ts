import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type PredictionErrorClassificationOptions = OptionsOf<typeof options>;

/** PEC's class scores: score_c(x) = −‖g_c(x) − h(x)‖² [N, C]; the prediction is their argmax. */
export function pecScores(studentOutputs: Tensor, target: Tensor): Tensor {
  return studentOutputs.sub(target.unsqueeze(1)).square().sum(-1).neg();
}

/**
 * Prediction-error-based classification (PEC): one small student per class imitates a frozen random target
 * network on that class's data only; a test sample goes to the class whose student imitates it best.
 *
 * Training: ℓᵢ = ‖g_{yᵢ}(xᵢ) − h(xᵢ)‖², so student c is trained on class c alone (one class at a time, a
 * single pass, as the paper's class-incremental setting allows). Scores: `pecScores` gives −‖g_c(x) − h(x)‖²
 * per class, whose argmax is the prediction. Wiring: stack every student's output on the batch into [N, C,
 * D] (only the labelled class's row receives gradient) and pass the target network's outputs, which are
 * held constant.
 *
 * @param studentOutputs g_c(x) for every class's student [N, C, D]
 * @param target the frozen target network's outputs h(x) [N, D] (held constant)
 * @param labels class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zając et al., "Prediction Error-based Classification for Class-Incremental Learning", ICLR 2024
 */
export function predictionErrorClassification(...args: Call<[studentOutputs: Tensor, target: Tensor, labels: Tensor], PredictionErrorClassificationOptions>): Tensor {
  const [studentOutputs, target, labels, { reduction }] = entry.check(args);
  const d = studentOutputs.shape[2];
  const own = studentOutputs.gather(1, labels.reshape([-1, 1, 1]).expand([labels.shape[0], 1, d])).squeeze(1);
  return applyReduction(own.sub(target.detach()).square().sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'prediction-error-classification',
  fn: predictionErrorClassification,
  args: [
    { name: 'studentOutputs', shape: ['N', 'C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
