/**
 * Spectral risks of a batch of per-sample losses: R_σ(l) = Σ_i σ_i·l_(i), l_(1) ≤ … ≤ l_(n) sorted ascending and
 * σ a nondecreasing spectrum summing to 1. Shared by avg-top-k, cvar and spectral-risk-fdiv. The spectra are
 * the discretisations σ_i = ∫_{(i−1)/n}^{i/n} s(t) dt of the risk profiles s of Mehta et al. (AISTATS 2024):
 * the superquantile (CVaR), the extremile and the exponential spectral risk measure.
 */
import { type Tensor, tensor } from '@graft/core';

/** CVaR keeping the fraction α of the largest losses: σ_i = |[(i−1)/n, i/n] ∩ [1 − α, 1]|/α (fractional at the edge). */
export function cvarSpectrum(n: number, alpha: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.max(0, Math.min((i + 1) / n, 1) - Math.max(i / n, 1 - alpha)) / alpha);
}

/** Extremile with r draws: σ_i = (i^r − (i − 1)^r)/n^r, the expected maximum of r draws from the batch. */
export function extremileSpectrum(n: number, r: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i + 1) ** r - i ** r) / n ** r);
}

/** Exponential spectral risk with aversion ρ > 0: σ_i = e^{−ρ}(e^{ρi/n} − e^{ρ(i−1)/n})/(1 − e^{−ρ}). */
export function esrmSpectrum(n: number, rho: number): number[] {
  return Array.from({ length: n }, (_, i) => (Math.exp(rho * ((i + 1) / n - 1)) - Math.exp(rho * (i / n - 1))) / -Math.expm1(-rho));
}

/** Σ_i σ_i·l_(i) for losses [n] (the gradient reaches each loss through its sorted position). */
export function sortedRisk(losses: Tensor, sigma: readonly number[]): Tensor {
  const sorted = losses.sort(0).values;
  return sorted.mul(tensor([...sigma], { dtype: losses.dtype, backend: losses.backendName })).sum();
}
