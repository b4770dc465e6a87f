import { type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { squaredEuclideanMatrix } from '../parts/distances.js';

const options = {
  k: opt.integer(4, 'k: the neighbours scored per embedding (the authors\' default 4; lowered to N − 2 on a small batch, as their code does).', '[1, inf)'),
  ipc: opt.integer(null, 'The neighbours searched per embedding for the closest other-class one (null: k + 1, the authors\' default; they pass shot + query for a whole episode).', '[1, inf)'),
};
export type IcnnOptions = OptionsOf<typeof options>;

const EPS = 1e-7;

/**
 * ICNN loss: −log of the inter/intra-class nearest-neighbour score s ∈ (0, 1] of an episode's embeddings.
 *
 * d_ij = √(‖x_i − x_j‖² + 1e-6); for each i its m = ipc nearest other points j_1..j_m (ascending), same-class flags
 * c_ir and δ_i = d to the closest other-class point among them. Intra: n_ir = d_ij_r/δ_i for r ≤ k (0 without
 * such a point), divided by max(1, max_r n_ir); λ_sc = 1 − mean_i' (Σ_r c_ir n_ir / Σ_r c_ir) over the rows with a
 * same-class neighbour. Inter: o_ir = (1 − c_ir)·d_ij_r / max_{i,r}((1 − c)·d); λ_dc = mean_i' (Σ_r o_ir / Σ_r (1 − c_ir))
 * over rows with an other-class neighbour (1 when no row has one). γ = mean_i (Σ_r c_ir)/k (1 when k was lowered).
 * s = ((λ_sc + λ_dc)/2 + γ)/2 and ℓ = −log s; every ratio has 1e-7 added to its denominator. The neighbour search is
 * done on the host; the gradient flows through the gathered distances.
 *
 * Follows maumruiz/FSL-Loss algorithms/icnn_loss.py (modified_score, used as −log(score)).
 *
 * @param embeddings episode embeddings x [N, D]
 * @param labels class indices [N] (int32)
 * @returns a scalar
 * @see "SuSana Distancia is all you need: Enforcing class separability in metric learning via two
 *   novel distance-based loss functions for few-shot image classification", 2023 (code by M. Mendez-Ruiz)
 */
export function icnnLoss(...args: Call<[embeddings: Tensor, labels: Tensor], IcnnOptions>): Tensor {
  const [x, labels, { k: k0, ipc }] = entry.check(args);
  const n = x.shape[0];
  const lowered = k0 + 2 >= n;
  const k = lowered ? Math.max(n - 2, 0) : k0;
  const m = Math.min(ipc ?? k + 1, n - 1);
  const cols = Math.min(k, m);
  // No neighbour to score (N ≤ 2): both λ are 1 and γ is 1, so s = 1 and ℓ = 0.
  if (cols <= 0) return x.sum().mul(0);
  const dist = squaredEuclideanMatrix(x, x).add(1e-6).sqrt();
  // Host: each row's m nearest other points, their class flags, and the closest other-class one among them.
  const d = dist.data(), y = labels.data();
  const index: number[][] = [], same: number[][] = [], nnCol: number[] = [], hasOther: number[] = [];
  for (let i = 0; i < n; i++) {
    const order = [...Array(n).keys()].filter((j) => j !== i).sort((a, b) => d[i * n + a] - d[i * n + b] || a - b).slice(0, m);
    index.push(order);
    same.push(order.map((j) => (y[j] === y[i] ? 1 : 0)));
    const c = same[i].indexOf(0);
    nnCol.push(Math.max(c, 0));
    hasOther.push(c >= 0 ? 1 : 0);
  }
  const opts = { dtype: x.dtype, backend: x.backendName };
  const near = dist.gather(1, tensor(index, { dtype: 'int32', backend: x.backendName })); // [N, m]
  const sc = same.map((r) => r.slice(0, cols)), dc = sc.map((r) => r.map((v) => 1 - v));
  const scT = tensor(sc, opts), dcT = tensor(dc, opts);
  const delta = near.gather(1, tensor(nnCol.map((c) => [c]), { dtype: 'int32', backend: x.backendName }));
  const nearK = near.narrow(1, 0, cols);
  let nd = nearK.div(delta.add(EPS)).mul(tensor(hasOther.map((h) => [h]), opts));
  nd = nd.div(nd.amax(1, true).clamp(1));
  const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);
  const scCounts = sc.map(sum), dcCounts = dc.map(sum);
  const nonzero = (c: number[]) => c.filter((v) => v > 0).length;
  const lamSc = nd.mul(scT).sum(1).div(tensor(scCounts, opts).add(EPS)).sum().div(nonzero(scCounts) + EPS).neg().add(1);
  let lamDc: Tensor;
  if (nonzero(dcCounts) === 0) lamDc = x.newOnes([]);
  else {
    const dcnd = nearK.mul(dcT);
    lamDc = dcnd.div(dcnd.amax().add(EPS)).sum(1).div(tensor(dcCounts, opts).add(EPS)).sum().div(nonzero(dcCounts) + EPS);
  }
  const gamma = lowered ? 1 : sum(scCounts) / k / n;
  return lamSc.add(lamDc).mul(0.25).add(gamma / 2).log().neg();
}

export const entry = defineLoss({
  id: 'icnn',
  fn: icnnLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'The authors\' modified_score (intra term: same-class neighbour distances relative to the closest other-class neighbour; inter term: other-class neighbour distances over their batch maximum; γ: the share of same-class neighbours) over all N embeddings of the episode, as −log(score); support/query splitting and prototypes are the caller\'s choice of rows.',
});
