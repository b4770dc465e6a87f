import { cat, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature of the subclass-level term (catalog 0.1).', '(0, inf)'),
  baseTemperature: opt.number(0.07, 'τ_b: the subclass term is scaled by τ/τ_b (catalog 0.07).', '(0, inf)'),
  gamma: opt.number(0.25, 'γ: the weight of the class-level term (catalog 0.25).', '[0, inf)'),
  classTau: opt.tensor(['C'], "τ_c per class [C], given by the caller (the paper's rule for it is not settled here); null: τ for every class."),
  reduction: opt.reduction(),
};
export type SbclOptions = OptionsOf<typeof options>;

/**
 * Subclass-balancing contrastive loss (SBCL): a SupCon term over subclasses plus a class-level term across subclasses.
 *
 * z = l2_normalize([z1; z2]) (M = 2N anchors, i's other view v(i) = i ± N), labels and subclasses repeated for both views; q = subclass ids, y = class ids, s_ij = z_i·z_j.
 * L_sub,i = −mean_{p ≠ i, q_p = q_i} log softmax_{a ≠ i}(s_i·/τ)_p;
 * L_class,i = −mean_{p ∈ Q(i)} log softmax_{a ∈ A(i)}(s_i·/τ_{y_i})_p, Q(i) = {p : y_p = y_i, q_p ≠ q_i} ∪ {v(i)},
 * A(i) = {a : q_a ≠ q_i} ∪ {v(i)}; ℓ_i = (τ/τ_b)·L_sub,i + γ·L_class,i. Stable form: the InfoNCE core (−∞ outside A(i)).
 *
 * @param z1 embeddings of the first view [N, D]
 * @param z2 embeddings of the second view [N, D]
 * @param target class ids y [N] (int32) in [0, N)
 * @param subclass subclass ids q [N] (int32) in [0, N), distinct across classes (the head classes' k-means clusters)
 * @returns [N] with reduction 'none' (the mean of each sample's two anchors), else a scalar over the 2N anchors
 * @see Hou et al., "Subclass-balancing Contrastive Learning for Long-tailed Recognition", ICCV 2023
 */
export function sbclLoss(...args: Call<[z1: Tensor, z2: Tensor, target: Tensor, subclass: Tensor], SbclOptions>): Tensor {
  const [z1, z2, labels, subclasses, { tau, baseTemperature, gamma, classTau, reduction }] = entry.check(args);
  const n = z1.shape[0];
  const m = 2 * n;
  const [input, target, subclass] = [cat([z1, z2]), cat([labels, labels]), cat([subclasses, subclasses])];
  const z = l2Normalize(input);
  const s = z.matmul(z.T);
  const others = offDiagonal(m, z);
  const sameSub = subclass.unsqueeze(1).eq(subclass.unsqueeze(0));
  const view = tensor(Array.from({ length: m }, (_, i) => (i + m / 2) % m), { dtype: 'int32', backend: input.backendName }).oneHot(m).gt(0);
  const sub = softmaxContrast(s.div(tau), sameSub.logicalAnd(others), { candidates: others });
  const t = classTau ? classTau.gather(0, target).unsqueeze(1) : tau;
  const positives = target.unsqueeze(1).eq(target.unsqueeze(0)).logicalAnd(sameSub.logicalNot()).logicalOr(view);
  const cls = softmaxContrast(s.div(t), positives, { candidates: sameSub.logicalNot().logicalOr(view) });
  // 'none': the mean of each sample's two anchors, so that 'mean' (over all 2N anchors) is the mean of 'none'.
  return applyReduction(sub.mul(tau / baseTemperature).add(cls.mul(gamma)).reshape([2, n]).mean(0), { reduction });
}

export const entry = defineLoss({
  id: 'sbcl',
  fn: sbclLoss,
  args: [
    { name: 'z1', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'z2', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'N' },
    { name: 'subclass', shape: ['N'], dtype: 'int', domain: 'label', classes: 'N' },
  ],
  options,
  output: 'per-sample',
  reading:
    "The catalog's two SupCon terms, mean over all 2N anchors (the two views given apart rather than stacked). The per-class temperature rule is not settled (one source derives τ_c from cluster density, " +
    "another fixes a τ2 > τ1): τ_c is an input (`classTau`, per class), and without it every class uses τ. The subclass labels (balanced k-means, no " +
    "gradient) are the caller's too.",
});
