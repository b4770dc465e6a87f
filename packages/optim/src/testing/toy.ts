/** The toy regression that the convergence checks and the suites train. */
import { tensor, type DType, type NestedArray } from '@graft/core';

/**
 * The toy regression of the convergence tests: a 2-4-1 tanh MLP fitting y = sin(x₀) + x₁/2 on
 * 24 fixed points, mean squared error, on `backend` (default: the default backend). Returns fresh
 * parameters (same values on every call) and the per-sample squared errors.
 */
export function toyRegression(dtype: DType = 'float64', backend?: string) {
  const xs = Array.from({ length: 24 }, (_, i) => [Math.sin(1.7 * i) * 1.5, Math.cos(0.9 * i + 0.3)]);
  const x = tensor(xs, { dtype, backend });
  const y = tensor(xs.map(([a, b]) => [Math.sin(a) + b / 2]), { dtype, backend });
  const p = (data: NestedArray) => tensor(data, { dtype, backend, requiresGrad: true });
  const params = [
    p([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1], [0.3, 0.4]]), p([0.1, -0.1, 0.05, 0]),
    p([[0.4, -0.5, 0.3, 0.2]]), p([0]),
  ];
  const [w1, b1, w2, b2] = params;
  const perSample = () => x.matmul(w1.T).add(b1).tanh().matmul(w2.T).add(b2).sub(y).square().reshape([-1]);
  const loss = () => perSample().mean();
  return { params, perSample, loss, n: xs.length };
}
