import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  mainWeight: opt.number(2, 'Weight of the main (student vs ground truth) term (the authors\' training script: 2).', '[0, inf)'),
  toughWeight: opt.number(1, 'Weight of the tough teacher\'s assistive term (authors: 1).', '[0, inf)'),
  tolerantWeight: opt.number(1, 'Weight of the tolerant teacher\'s assistive term (authors: 1).', '[0, inf)'),
  alphaTough: opt.number(1.9, 'α_tou: the pull toward the tough teacher where the student lies beyond it (authors: 1.9).'),
  alphaToughInner: opt.number(-0.45, 'α⁻_tou: the (negative: push) weight where the student lies between the teacher and the inner bound (authors: −0.45).'),
  alphaTolerant: opt.number(1.8, 'α_tol: the pull toward the tolerant teacher where the student lies beyond it (authors: 1.8).'),
  alphaTolerantInner: opt.number(-0.4, 'α⁻_tol: the inner-region weight of the tolerant teacher (authors: −0.4).'),
  beta: opt.number(0.15, 'β: the inner bound b = gt + β·(t̃ − gt) as a fraction of the teacher\'s distance (authors: 0.15).', '[0, 1]'),
  reduction: opt.reduction(),
};
export type LandmarkKdAlossOptions = OptionsOf<typeof options>;

/** The assistive weight map of one teacher: α where the student lies beyond the teacher, α⁻ between it and the inner bound. */
function assistMap(ps: Tensor, gt: Tensor, t: Tensor, bound: Tensor, alpha: number, alphaInner: number): Tensor {
  const beyond = ps.sub(t).sign().mul(t.sub(gt).sign()).gt(0);
  const inner = t.sub(ps).sign().mul(ps.sub(bound).sign()).ge(0);
  return beyond.cast(ps.dtype).mul(alpha).add(inner.cast(ps.dtype).mul(alphaInner));
}

/**
 * KD-Loss for facial landmarks with a Tough and a Tolerant teacher: a main term plus two assistive terms (ALoss).
 *
 * Per coordinate, with s = sign(Pₛ − P_gt), each teacher t is first reflected to the student's side of the ground
 * truth, t̃ = P_gt + s·|t − P_gt|, with an inner bound b = P_gt + β·s·|t − P_gt|. The assistive weight is
 * w_t = α_t·[(Pₛ − t̃)(t̃ − P_gt) > 0] + α⁻_t·[(t̃ − Pₛ)(Pₛ − b) ≥ 0] (signs of the products), and
 *   ℓ = λ_main·main + λ_tou·w_tou·|t̃_tou − Pₛ| + λ_tol·w_tol·|t̃_tol − Pₛ|,
 *   main = 3|P_gt − Pₛ| where |P_gt − Pₛ| ≤ |P_gt − t̃_tol|, else (P_gt − Pₛ)² + 3|P_gt − t̃_tol| − (P_gt − t̃_tol)²
 * (continuous at the switch: linear near the ground truth, quadratic beyond the tolerant teacher's error).
 * The maps are piecewise constant (no gradient); the teachers and the ground truth are data (held constant).
 * Follows the authors' TensorFlow code, aliprf/KD-Loss custom_Losses.py (`kd_loss`), with the weights of
 * student_train.py and main.py as defaults.
 *
 * @param input the student's landmarks Pₛ [N, L] (L = 2 × landmarks)
 * @param target the ground truth P_gt [N, L]
 * @param tough the tough teacher's landmarks [N, L]
 * @param tolerant the tolerant teacher's landmarks [N, L]
 * @returns [N, L] for 'none', else a scalar (mean over all coordinates, as the authors' reduce_mean)
 * @see Fard & Mahoor, "Facial Landmark Points Detection Using Knowledge Distillation-Based Neural Networks", CVIU 2022
 */
export function landmarkKdAloss(...args: Call<[input: Tensor, target: Tensor, tough: Tensor, tolerant: Tensor], LandmarkKdAlossOptions>): Tensor {
  const [ps, target, tough, tolerant, o] = entry.check(args);
  const gt = target.detach();
  const s = ps.sub(gt).sign().detach();
  const reflect = (t: Tensor) => gt.add(s.mul(t.detach().sub(gt).abs()));
  const tou = reflect(tough);
  const tol = reflect(tolerant);
  const touMap = assistMap(ps, gt, tou, gt.add(tou.sub(gt).mul(o.beta)), o.alphaTough, o.alphaToughInner);
  const tolMap = assistMap(ps, gt, tol, gt.add(tol.sub(gt).mul(o.beta)), o.alphaTolerant, o.alphaTolerantInner);
  const err = gt.sub(ps).abs();
  const tolErr = gt.sub(tol).abs();
  const main = err.le(tolErr).where(err.mul(3), gt.sub(ps).square().add(tolErr.mul(3)).sub(tolErr.square()));
  const values = main.mul(o.mainWeight)
    .add(touMap.mul(tou.sub(ps).abs()).mul(o.toughWeight))
    .add(tolMap.mul(tol.sub(ps).abs()).mul(o.tolerantWeight));
  return applyReduction(values, { reduction: o.reduction });
}

export const entry = defineLoss({
  id: 'landmark-kd-aloss',
  fn: landmarkKdAloss,
  args: [
    { name: 'input', shape: ['N', 'L'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'L'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'tough', shape: ['N', 'L'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'tolerant', shape: ['N', 'L'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'elementwise',
  reading:
    "The authors' released rule (aliprf/KD-Loss, kd_loss): teachers reflected to the student's side of the ground truth, region maps from the " +
    'signs of (Pₛ − t̃)(t̃ − P_gt) and (t̃ − Pₛ)(Pₛ − b), and their piecewise linear/quadratic main term in place of the abstract\'s plain MSE; ' +
    'the teachers\' predictions are arguments (frozen networks run by the caller) and are held constant, as is the ground truth.',
});
