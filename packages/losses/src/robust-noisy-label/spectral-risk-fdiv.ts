import { noGrad, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cvarSpectrum, esrmSpectrum, extremileSpectrum } from '../parts/robust-sample-risk.js';

const options = {
  nu: opt.number(1, 'ν: the shift cost (0: the plain spectral risk).', '[0, inf)'),
  spectrum: opt.oneOf(['cvar', 'extremile', 'esrm'], 'cvar', 'The risk profile σ: superquantile, extremile or exponential spectral risk.'),
  alpha: opt.number(0.5, 'α of spectrum \'cvar\': the fraction of largest losses kept (not in the catalog; 0.5, the half-tail superquantile).', '(0, 1]'),
  draws: opt.number(2, 'r of spectrum \'extremile\': the number of draws whose expected maximum it is.', '[1, inf)'),
  rho: opt.number(1, 'ρ of spectrum \'esrm\': the risk aversion.', '(0, inf)'),
  divergence: opt.oneOf(['chi2', 'kl'], 'chi2', 'D_f: χ² = n·‖q − 1/n‖² or KL = Σ q·log(nq).'),
};
export type SpectralRiskFdivOptions = OptionsOf<typeof options>;

/** Log-sum-exp of two numbers, −∞ allowed. */
const lae = (a: number, b: number) => (a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))));

/**
 * Pool adjacent violators over ascending-sorted z: the nondecreasing fit of blocks whose value is `block(ids)`.
 * Returns the fitted value per position.
 */
function pav(n: number, block: (lo: number, hi: number) => number): number[] {
  const starts: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    starts.push(i);
    values.push(block(i, i + 1));
    while (values.length > 1 && values[values.length - 2] >= values[values.length - 1]) {
      starts.pop(); values.pop();
      const lo = starts[starts.length - 1];
      values[values.length - 1] = block(lo, i + 1);
    }
  }
  const out = new Array<number>(n);
  starts.forEach((lo, j) => { const hi = j + 1 < starts.length ? starts[j + 1] : n; for (let i = lo; i < hi; i++) out[i] = values[j]; });
  return out;
}

/** The maximiser q* of q·l − ν·D(q ‖ 1/n) over the permutahedron of σ (ascending), in the losses' order. */
export function spectralRiskWeights(losses: readonly number[], sigma: readonly number[], nu: number, divergence: 'chi2' | 'kl'): number[] {
  const n = losses.length;
  const order = losses.map((_, i) => i).sort((a, b) => losses[a] - losses[b]);
  const q = new Array<number>(n);
  if (nu === 0) { order.forEach((i, r) => { q[i] = sigma[r]; }); return q; }
  if (divergence === 'chi2') {
    // max q·l − νn‖q − u‖²: the Euclidean projection of z = u + l/(2νn) onto the permutahedron, q = z − iso(z_sorted − σ).
    const z = order.map((i) => 1 / n + losses[i] / (2 * nu * n));
    const pre = [0];
    z.forEach((v, r) => pre.push(pre[r] + v - sigma[r]));
    const fit = pav(n, (lo, hi) => (pre[hi] - pre[lo]) / (hi - lo));
    order.forEach((i, r) => { q[i] = z[r] - fit[r]; });
    return q;
  }
  // max q·l − ν·Σ q log(nq): q = exp(l/ν − fit)/n with block value lse(l/ν) − lse(log σ) − log n.
  const s = order.map((i) => losses[i] / nu);
  const logSigma = sigma.map((v) => (v > 0 ? Math.log(v) : -Infinity));
  const fit = pav(n, (lo, hi) => {
    let a = -Infinity; let b = -Infinity;
    for (let r = lo; r < hi; r++) { a = lae(a, s[r]); b = lae(b, logSigma[r]); }
    return a - b - Math.log(n);
  });
  order.forEach((i, r) => { q[i] = Math.exp(s[r] - fit[r]) / n; });
  return q;
}

/**
 * f-divergence-penalised spectral risk (the Prospect objective): the worst reweighting of the batch within the
 * permutahedron of a spectrum σ, penalised by its divergence from uniform.
 *
 * R(l) = max_{q ∈ Perm(σ)} q·l − ν·D(q ‖ 1/n), Perm(σ) the convex hull of the permutations of σ (σ ascending,
 * Σσ = 1: CVaR, extremile or ESRM, discretised from their risk profiles). Sorting l reduces the max to an
 * isotonic regression, solved exactly by pool-adjacent-violators on the host (a loop over n, no tensor
 * kernel): for χ², q* = z − iso(z − σ) with z = 1/n + l/(2νn); for KL, q* = exp(l/ν − iso)/n. The value is
 * q*·l − ν·D(q*) and, by Danskin's theorem, its gradient is q* (held constant). ν = 0 gives the spectral risk
 * Σ σ_i l_(i) (CVaR, top-k and ERM as spectra).
 *
 * @param losses per-sample losses [n]
 * @returns a scalar
 * @see Mehta, Roulet, Pillutla & Harchaoui, "Distributionally Robust Optimization with Bias and Variance
 *   Reduction", ICLR 2024
 */
export function spectralRiskFdiv(...args: Call<[losses: Tensor], SpectralRiskFdivOptions>): Tensor {
  const [losses, { nu, spectrum, alpha, draws, rho, divergence }] = entry.check(args);
  const n = losses.shape[0];
  const sigma = spectrum === 'cvar' ? cvarSpectrum(n, alpha) : spectrum === 'extremile' ? extremileSpectrum(n, draws) : esrmSpectrum(n, rho);
  const q = spectralRiskWeights(Array.from(noGrad(() => losses.data())), sigma, nu, divergence);
  const penalty = divergence === 'chi2' ? n * q.reduce((a, v) => a + (v - 1 / n) ** 2, 0) : q.reduce((a, v) => a + (v > 0 ? v * Math.log(n * v) : 0), 0);
  return losses.mul(tensor(q, { dtype: losses.dtype, backend: losses.backendName })).sum().sub(nu * penalty);
}

export const entry = defineLoss({
  id: 'spectral-risk-fdiv',
  fn: spectralRiskFdiv,
  args: [{ name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
  reading: 'χ² is the divergence n·‖q − 1/n‖² (f(t) = (t − 1)²) and KL is Σ q log(nq); the spectra are the risk profiles integrated over [(i−1)/n, i/n]; q* comes from an exact host-side PAV and is held constant (gradient = q*); the SAGA-like Prospect optimiser is a training procedure.',
});
