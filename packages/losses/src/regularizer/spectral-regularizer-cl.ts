import { type Generator, randn, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lam: opt.number(0.0001, 'λ: the penalty weight (null in the catalog; 1e-4, our choice, tune it).', '[0, inf)'),
  k: opt.integer(2, 'k: the power of σ_max in (σ_max^k − 1)².', '[1, inf)'),
};
export type SpectralRegularizerClOptions = OptionsOf<typeof options>;

/** Serialisable state of a power iteration: the current left and right singular-vector estimates. */
export interface PowerIterationState { u: number[]; v: number[] }

/**
 * The persistent power-iteration vectors of one weight matrix [rows, cols] (conv kernels reshaped to
 * [out, rest]): `update(W, iters)` runs `iters` steps v ← W^T u/‖W^T u‖, u ← W v/‖W v‖ without gradient (1 per
 * training step, as spectral normalisation does), `vectors(like)` returns { u, v }, `stateDict()` /
 * `createPowerIteration(state)` save and restore. u starts as a normal draw from `generator`.
 */
export function createPowerIteration(init: { rows: number; cols: number; generator?: Generator } | PowerIterationState) {
  const normalise = (t: Tensor) => t.div(t.square().sum().sqrt().add(1e-12));
  const state: PowerIterationState = 'u' in init ? structuredClone(init) : {
    u: Array.from(normalise(randn([init.rows], { generator: init.generator, dtype: 'float64' })).data(), Number),
    v: new Array<number>(init.cols).fill(0),
  };
  const vec = (xs: number[], like: Tensor) => tensor(Float64Array.from(xs), { dtype: like.dtype, backend: like.backendName });
  return {
    update(weight: Tensor, iters = 1): void {
      const w = weight.detach();
      let u = vec(state.u, w);
      let v = vec(state.v, w);
      for (let i = 0; i < iters; i++) {
        v = normalise(u.matmul(w));
        u = normalise(w.matmul(v));
      }
      state.u = Array.from(u.data(), Number);
      state.v = Array.from(v.data(), Number);
    },
    vectors: (like: Tensor) => ({ u: vec(state.u, like), v: vec(state.v, like) }),
    stateDict: (): PowerIterationState => structuredClone(state),
  };
}

/**
 * Spectral regulariser for continual learning: keeps each layer's largest singular value near 1, which
 * preserves trainability (plasticity) across tasks.
 *
 * σ = uᵀWv with u, v the persistent power-iteration estimates of the top singular vectors (constant, updated
 * outside autograd by `createPowerIteration`); R = λ·(σ^k − 1)². The gradient is λ·2(σ^k − 1)·kσ^{k−1}·u vᵀ, the
 * top singular value's own gradient once the iteration has converged. One call per weight matrix; the paper's
 * L2 pull of biases toward 0 is `weightDecayL2` on the biases.
 *
 * @param weight a weight matrix W [M, D] (reshape conv kernels to [out, rest])
 * @param u the left singular-vector estimate [M] (unit norm, constant)
 * @param v the right singular-vector estimate [D] (unit norm, constant)
 * @returns a scalar
 * @see Lewandowski, Kumar, Schuurmans, György & Machado, "Learning Continually by Spectral Regularization", 2024
 *   (arXiv:2406.06811)
 */
export function spectralRegularizerCl(...args: Call<[weight: Tensor, u: Tensor, v: Tensor], SpectralRegularizerClOptions>): Tensor {
  const [weight, u, v, { lam, k }] = entry.check(args);
  const sigma = u.detach().matmul(weight).matmul(v.detach());
  return sigma.pow(k).sub(1).square().mul(lam);
}

export const entry = defineLoss({
  id: 'spectral-regularizer-cl',
  fn: spectralRegularizerCl,
  args: [
    { name: 'weight', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'u', shape: ['M'], dtype: 'float', domain: 'unit-norm', stopGradient: true },
    { name: 'v', shape: ['D'], dtype: 'float', domain: 'unit-norm', stopGradient: true },
  ],
  options,
  output: 'batch',
  reading: 'σ_max(W) is uᵀWv with u, v persistent power-iteration vectors passed in (updated without gradient by createPowerIteration, 1 step per call); R = λ(σ^k − 1)², k = 2; the bias term is left to weightDecayL2; λ = 1e-4 is our choice.',
});
