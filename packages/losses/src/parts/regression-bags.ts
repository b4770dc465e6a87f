/**
 * Learning from aggregate responses (Javanmard et al.): instances i with predictions f_i fall into bags k
 * (index bag_i), each bag observed only through its mean response ȳ_k. The one quantity behind the bag loss,
 * the instance loss and the interpolating estimator: per bag, (ȳ_k − f̄_k)² + ρ·Var_{i∈B_k}(f_i) with f̄_k the
 * bag's mean prediction (ρ = 0: the bag loss; ρ = 1: the instance loss, since mean_{i∈B_k}(ȳ_k − f_i)² =
 * (ȳ_k − f̄_k)² + Var_{i∈B_k} f_i), averaged over the bags that have at least one instance.
 */
import { arange, type Tensor } from '@graft/core';

export function bagObjective(f: Tensor, bag: Tensor, ybar: Tensor, rho: number): Tensor {
  const K = ybar.shape[0];
  const member = bag.unsqueeze(1).eq(arange(0, K, 1, { dtype: 'int32', backend: bag.backendName }).unsqueeze(0)).cast(f.dtype); // [n, K]
  const count = member.sum(0);
  const present = count.gt(0);
  const size = count.clamp(1);
  const fbar = f.unsqueeze(1).mul(member).sum(0).div(size);
  let perBag = ybar.sub(fbar).square();
  // The within-bag variance from deviations (not E f² − f̄², which cancels): instances outside the bag count 0.
  if (rho !== 0) perBag = perBag.add(f.unsqueeze(1).sub(fbar).square().mul(member).sum(0).div(size).mul(rho));
  const w = present.cast(f.dtype);
  return perBag.mul(w).sum().div(w.sum().clamp(1));
}
