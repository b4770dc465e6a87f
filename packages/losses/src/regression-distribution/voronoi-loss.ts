import { concat, type DType, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  overfitExponent: opt.number(2, 'r̄: the exponent of the parameter differences in cells holding several fitted atoms (2: the Top-K sparse paper\'s D₂; the Gaussian-gating paper uses the solvability order r̄(|A_j|), halved for a and σ).', '[1, inf)'),
};
export type VoronoiLossOptions = OptionsOf<typeof options>;

/**
 * Voronoi loss between a fitted mixing measure G = Σᵢ exp(β₀ᵢ)·δ_(β₁ᵢ, aᵢ, bᵢ, σᵢ) of a softmax-gated Gaussian MoE
 * and the true G* (a parameter-estimation metric, differentiable in the fitted atoms).
 *
 * Cells A_j = {i : j = argmin_l ‖ωᵢ − ω*_l‖} with ω = (β₁, a, b, σ) (ties to the lowest j; computed on the host);
 * D = Σ_j |Σ_{i∈A_j} exp(β₀ᵢ) − exp(β*₀ⱼ)| + Σ_j Σ_{i∈A_j} exp(β₀ᵢ)·(‖Δβ₁ᵢⱼ‖^r + ‖Δaᵢⱼ‖^r + |Δbᵢⱼ|^r + |Δσᵢⱼ|^r)
 * with r = 1 for a cell of one atom and r = r̄ for a cell of several. An empty cell adds exp(β*₀ⱼ).
 *
 * @param beta0 fitted gating biases β₀ [K]
 * @param beta1 fitted gating slopes β₁ [K, D]
 * @param a fitted expert slopes a [K, D]
 * @param b fitted expert intercepts b [K]
 * @param sigma fitted expert standard deviations σ [K]
 * @param trueBeta0 true β*₀ [M]
 * @param trueBeta1 true β*₁ [M, D]
 * @param trueA true a* [M, D]
 * @param trueB true b* [M]
 * @param trueSigma true σ* [M]
 * @returns a scalar
 * @see Nguyen et al., "Demystifying Softmax Gating Function in Gaussian Mixture of Experts", NeurIPS 2023; "Statistical Perspective of Top-K Sparse Softmax Gating Mixture of Experts", ICLR 2024
 */
export function voronoiLoss(...args: Call<[beta0: Tensor, beta1: Tensor, a: Tensor, b: Tensor, sigma: Tensor, trueBeta0: Tensor, trueBeta1: Tensor, trueA: Tensor, trueB: Tensor, trueSigma: Tensor], VoronoiLossOptions>): Tensor {
  const [beta0, beta1, a, b, sigma, tBeta0, tBeta1, tA, tB, tSigma, { overfitExponent }] = entry.check(args);
  const m = tBeta0.shape[0];
  // The Voronoi assignment is discrete: read on the host, then every term is a gather of the differentiable atoms.
  const omega = (b1: Tensor, aa: Tensor, bb: Tensor, s: Tensor) => concat([b1, aa, bb.unsqueeze(1), s.unsqueeze(1)], 1).detach();
  const cell = Array.from(omega(beta1, a, b, sigma).unsqueeze(1).sub(omega(tBeta1, tA, tB, tSigma).unsqueeze(0)).square().sum(2).argmin(1).data());
  const sizes = Array.from({ length: m }, (_, j) => cell.filter((c) => c === j).length);
  const host = (values: number[], dtype: DType) => tensor(values, { dtype, backend: beta0.backendName });
  const index = host(cell, 'int32');
  const weight = beta0.exp();
  // Σ_{i∈A_j} exp(β₀ᵢ) for every j, by the [K, M] membership matrix.
  const members = host(cell.flatMap((c) => Array.from({ length: m }, (_, j) => (j === c ? 1 : 0))), beta0.dtype).reshape([cell.length, m]);
  const massTerm = weight.unsqueeze(0).matmul(members).squeeze(0).sub(tBeta0.exp()).abs().sum();
  const r = host(cell.map((j) => (sizes[j] > 1 ? overfitExponent : 1)), beta0.dtype);
  const dist = (u: Tensor, v: Tensor) => {
    const d = u.sub(v.indexSelect(0, index));
    return u.ndim === 2 ? d.square().sum(1).sqrt() : d.abs();
  };
  const spread = dist(beta1, tBeta1).pow(r).add(dist(a, tA).pow(r)).add(dist(b, tB).pow(r)).add(dist(sigma, tSigma).pow(r));
  return massTerm.add(weight.mul(spread).sum());
}

export const entry = defineLoss({
  id: 'voronoi-loss',
  fn: voronoiLoss,
  args: [
    { name: 'beta0', shape: ['K'], dtype: 'float', domain: 'real' },
    { name: 'beta1', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
    { name: 'a', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
    { name: 'b', shape: ['K'], dtype: 'float', domain: 'real' },
    { name: 'sigma', shape: ['K'], dtype: 'float', domain: 'positive' },
    { name: 'trueBeta0', shape: ['M'], dtype: 'float', domain: 'real' },
    { name: 'trueBeta1', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'trueA', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'trueB', shape: ['M'], dtype: 'float', domain: 'real' },
    { name: 'trueSigma', shape: ['M'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'batch',
  reading: 'Cells by Euclidean nearest true atom in ω = (β₁, a, b, σ), exponent 1 in cells of one atom and one exponent r̄ (default 2, the Top-K paper\'s D₂) for every component in cells of several; differentiable in both measures through exp(β₀) and the differences, the assignment held fixed.',
});
