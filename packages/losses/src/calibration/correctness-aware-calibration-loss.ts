import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  TMin: opt.number(0.1, 'Lower clamp of the per-sample temperature.', '(0, inf)'),
  TMax: opt.number(10.0, 'Upper clamp of the per-sample temperature.', '(0, inf)'),
  form: opt.oneOf(['squared', 'bce'], 'squared', '\'squared\' (official code: class-balanced squared error) or \'bce\' (the BCE reading).'),
};
export type CorrectnessAwareCalibrationLossOptions = OptionsOf<typeof options>;

/**
 * Correctness-aware (CA) post-hoc calibration loss: raise the calibrated confidence of correctly
 * classified samples and lower it on the wrong ones (cross-entropy would always push p_y).
 *
 * confᵢ = max_k softmax(zᵢ/Tᵢ)_k with Tᵢ clamped to [T_min, T_max], computed as exp(max − logsumexp);
 * cᵢ = 1[argmax zᵢ = yᵢ]; acc = mean cᵢ. 'squared' (default, official code): wᵢ = 1 − acc if cᵢ else
 * acc (class balancing), L = Σ wᵢ (confᵢ − cᵢ)² / Σ wᵢ (0 when every weight is 0: an all-correct or
 * all-wrong batch). 'bce': L = −mean [cᵢ log confᵢ + (1 − cᵢ) log(1 − confᵢ)], with
 * log(1 − conf) = logsumexp_{k≠argmax}(z/T) − logsumexp(z/T) in log space (finite even when conf
 * rounds to 1). The calibrator that predicts Tᵢ (from transformed copies of the input) is a model
 * component outside this objective, as is its learning rate (1e-4).
 *
 * Reading: Default 'squared' follows the official code (temperature_scaling_CA.py as two catalogs
 * read it): per-sample T clamped to [0.1, 10], class-balanced weights w = 1 − acc on correct samples
 * and acc on wrong ones, L = Σ w (conf − c)² / Σ w (0 when all weights are 0). form 'bce' is the
 * paper-text reading: unweighted BCE of confidence against correctness, log(1 − conf) in log space.
 * The calibrator network and the transformed copies are outside the loss.
 *
 * @param logits frozen classifier logits [N, C]
 * @param target class indices [N] (int32)
 * @param temperature per-sample temperatures Tᵢ > 0 [N] (the calibrator's output)
 * @returns a scalar (the weights couple the batch, so there is no per-sample reduction)
 * @see Liu et al., "Optimizing Calibration by Gaining Aware of Prediction Correctness", ECCV 2024
 */
export function correctnessAwareCalibrationLoss(...args: Call<[logits: Tensor, target: Tensor, temperature: Tensor], CorrectnessAwareCalibrationLossOptions>): Tensor {
  const [logits, target, temperature, { TMin, TMax, form }] = entry.check(args);
  const scaled = logits.div(temperature.clamp(TMin, TMax).unsqueeze(-1));
  const pred = logits.argmax(-1, true);
  const correct = pred.squeeze(-1).eq(target).cast(logits.dtype);
  const lse = scaled.logsumexp(-1);
  const logConf = scaled.gather(-1, pred).squeeze(-1).sub(lse);
  if (form === 'bce') {
    // Drop the top class from the logsumexp: fill it with −∞ (its gradient is then exactly 0).
    const others = scaled.maskedFill(pred.eq(arange(logits.shape[1], undefined, 1, { backend: logits.backendName })), -Infinity);
    const logNotConf = others.logsumexp(-1).sub(lse);
    return correct.mul(logConf).add(correct.neg().add(1).mul(logNotConf)).mean().neg();
  }
  const acc = correct.mean();
  const w = correct.mul(acc.neg().add(1)).add(correct.neg().add(1).mul(acc));
  const err = logConf.exp().sub(correct).square();
  // Every weight is 0 when the batch is all correct or all wrong (acc = 1 or 0): the weighted mean of no weight is 0.
  // (A clamp to 1e-300 did this in float64 only: in float32 it underflows to 0 and 0/0 is NaN.)
  const total = w.sum();
  return err.mul(w).sum().div(total.gt(0).where(total, 1));
}

export const entry = defineLoss({
  id: 'correctness-aware-calibration-loss',
  fn: correctnessAwareCalibrationLoss,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'temperature', shape: ['N'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'batch',
  reading: "Default 'squared' follows the official code (temperature_scaling_CA.py as two catalogs read it): per-sample T clamped to [0.1, 10], class-balanced weights w = 1 − acc on correct samples and acc on wrong ones, L = Σ w (conf − c)² / Σ w (0 when all weights are 0). form 'bce' is the paper-text reading: unweighted BCE of confidence against correctness, log(1 − conf) in log space. The calibrator network and the transformed copies are outside the loss.",
});
