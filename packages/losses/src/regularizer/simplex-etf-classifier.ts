import { ArgumentError, eye, type Generator, linalg, randn, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  sparsity: opt.number(0, 'SSE-C: the fraction of the ETF\'s entries, smallest magnitudes first, set to zero (0: the dense ETF).', '[0, 1)'),
};
export type SimplexEtfClassifierOptions = OptionsOf<typeof options>;

/** Q of the QR decomposition with R's diagonal made positive (the unique orthonormal basis, whatever the QR's sign convention). */
function orthonormal(a: Tensor): Tensor {
  const { Q, R } = linalg.qr(a);
  return Q.mul(R.diagonal().sign().add(0.5).sign());
}

/** The frozen simplex-ETF weights W [K, D] from a Gaussian draw G [D, K] (only its first K − 1 columns are used). */
function etfFromGaussian(gaussian: Tensor, sparsity: number): Tensor {
  const [d, k] = gaussian.shape;
  if (k < 2 || k - 1 > d) throw new ArgumentError('simplexEtfClassifier', `a simplex ETF of K classes in D dims needs 2 <= K <= D + 1, got K = ${k}, D = ${d}`);
  const u = orthonormal(gaussian.detach().narrow(1, 0, k - 1));
  // An orthonormal basis V [K, K − 1] of the complement of the all-ones vector: V·Vᵀ = I − 11ᵀ/K.
  const centring = eye(k, k, { dtype: gaussian.dtype, backend: gaussian.backendName }).sub(1 / k);
  const v = orthonormal(centring.narrow(1, 0, k - 1));
  let w = v.matmul(u.transpose(0, 1)).mul(Math.sqrt(k / (k - 1)));
  const drop = Math.floor(sparsity * k * d);
  if (drop > 0) {
    const order = w.abs().flatten().argsort();
    const mask = w.newOnes([k * d]).scatter(0, order.narrow(0, 0, drop), 0);
    w = w.mul(mask.reshape([k, d]));
  }
  return w;
}

/** A frozen simplex-ETF classifier W [K, D] (K ≤ D + 1) drawn from `generator`: logits are h·Wᵀ. */
export function simplexEtf(numClasses: number, dim: number, { sparsity = 0, generator }: { sparsity?: number; generator?: Generator } = {}): Tensor {
  return etfFromGaussian(randn([dim, numClasses], { generator, dtype: 'float64' }), sparsity);
}

/**
 * Fixed simplex-ETF classifier (optionally statically sparse, FedLoGe's SSE-C): the logits of features
 * under a frozen head whose class vectors form a simplex equiangular tight frame.
 *
 * U [D, K−1] orthonormal (QR of the Gaussian draw's first K − 1 columns, R's diagonal made positive) and V [K, K−1]
 * an orthonormal basis of 1^⊥ give Wᵀ = √(K/(K−1))·U·Vᵀ, so W·Wᵀ = K/(K−1)·(I − 11ᵀ/K): unit class vectors with
 * pairwise cosine −1/(K−1) (for K ≤ D this is the usual √(K/(K−1))·U(I − 11ᵀ/K) with a K-column U). SSE-C zeroes
 * the ⌊sparsity·K·D⌋ smallest-magnitude entries of W. W is frozen (no gradient reaches the draw); the logits
 * h·Wᵀ train the backbone under cross-entropy. `simplexEtf(K, D, { generator })` returns W itself.
 *
 * @param features h [N, D]
 * @param gaussian a standard normal draw G [D, K] (the head's randomness; constant), 2 ≤ K ≤ D + 1
 * @returns the logits [N, K]
 * @see Yang et al., "Inducing Neural Collapse in Imbalanced Learning: Do We Really Need a Learnable Classifier at the End
 *   of Deep Neural Network?", NeurIPS 2022; Liu et al., "Inducing Neural Collapse in Deep Long-tailed Learning",
 *   AISTATS 2023; Xiao et al., "FedLoGe: Joint Local and Generic Federated Learning under Long-tailed Data", ICLR 2024
 */
export function simplexEtfClassifier(...args: Call<[features: Tensor, gaussian: Tensor], SimplexEtfClassifierOptions>): Tensor {
  const [features, gaussian, { sparsity }] = entry.check(args);
  return features.matmul(etfFromGaussian(gaussian, sparsity).transpose(0, 1));
}

export const entry = defineLoss({
  id: 'simplex-etf-classifier',
  fn: simplexEtfClassifier,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'gaussian', shape: ['D', 'K'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The standard simplex ETF from a given Gaussian draw (QR with a positive R diagonal, built for K ≤ D + 1 through a basis of 1^⊥); SSE-C sparsity zeroes the smallest-magnitude entries of W once, before freezing; FedLoGe\'s GLA-FR head is not part of it.',
});
