/**
 * The pieces shared by the survey's regression error measures (RMSE, RMSLE, NRMSE, RRMSE, RAE, RSE, MSLE):
 * the clamped log error of MSLE/RMSLE and the relative-error ratio of RAE/RSE.
 * Survey: Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989.
 */
import type { Tensor } from '@graft/core';

/** log1p(y) − log1p(max(ŷ, 0)) elementwise: predictions below 0 are clamped to 0, as Keras's MSLE does (log1p of −1 is −∞). */
export function logError(input: Tensor, target: Tensor): Tensor {
  return target.log1p().sub(input.clamp(0).log1p());
}

/** Σ f(y − ŷ) / (Σ f(y − ȳ) + eps) over every element: RAE with f = |·|, RSE with f = (·)². */
export function relativeError(input: Tensor, target: Tensor, f: (d: Tensor) => Tensor, eps: number): Tensor {
  return f(target.sub(input)).sum().div(f(target.sub(target.mean())).sum().add(eps));
}
