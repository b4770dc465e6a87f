/**
 * Box-overlap geometry shared by the IoU, GIoU, DIoU and CIoU losses: boxes [..., 4] as (x1, y1, x2, y2).
 * The two corners may come in either order: each box is first normalised to (min x, min y, max x, max y), so
 * every input is a box (torchvision assumes x2 ≥ x1 and y2 ≥ y1 and returns meaningless values otherwise; on
 * such boxes the two agree).
 */
import type { Tensor } from '@graft/core';

export interface BoxGeometry {
  iou: Tensor; union: Tensor;
  /** Area of the smallest enclosing box. */
  enclosing: Tensor;
  /** Squared distance of the centres ρ² and the enclosing box's squared diagonal c² (+ eps). */
  rho2: Tensor; c2: Tensor;
  /** Widths and heights of prediction and target. */
  w: Tensor; h: Tensor; wt: Tensor; ht: Tensor;
}

const coord = (b: Tensor, i: number) => b.narrow(-1, i, 1).squeeze(-1);

/** (min x, min y, max x, max y) of boxes [..., 4]: four tensors [...]. */
function corners(b: Tensor): [Tensor, Tensor, Tensor, Tensor] {
  const [x1, y1, x2, y2] = [0, 1, 2, 3].map((i) => coord(b, i));
  return [x1.minimum(x2), y1.minimum(y2), x1.maximum(x2), y1.maximum(y2)];
}

/** IoU = inter/(union + eps) and the enclosing-box terms (torchvision's _loss_inter_union / box-loss formulas). */
export function boxGeometry(pred: Tensor, target: Tensor, eps: number): BoxGeometry {
  const [x1, y1, x2, y2] = corners(pred);
  const [a1, b1, a2, b2] = corners(target);
  const w = x2.sub(x1);
  const h = y2.sub(y1);
  const wt = a2.sub(a1);
  const ht = b2.sub(b1);
  const iw = x2.minimum(a2).sub(x1.maximum(a1)).clamp(0);
  const ih = y2.minimum(b2).sub(y1.maximum(b1)).clamp(0);
  const inter = iw.mul(ih);
  const union = w.mul(h).add(wt.mul(ht)).sub(inter);
  const cw = x2.maximum(a2).sub(x1.minimum(a1));
  const ch = y2.maximum(b2).sub(y1.minimum(b1));
  const rho2 = x1.add(x2).sub(a1).sub(a2).div(2).square().add(y1.add(y2).sub(b1).sub(b2).div(2).square());
  return { iou: inter.div(union.add(eps)), union, enclosing: cw.mul(ch), rho2, c2: cw.square().add(ch.square()).add(eps), w, h, wt, ht };
}

/** atan(w/h), and its limit π/2 (0 for a point) where h = 0, with no 0/0 in value or gradient. */
function aspectAngle(w: Tensor, h: Tensor): Tensor {
  const pos = h.gt(0);
  return pos.where(w.div(pos.where(h, 1)).atan(), w.gt(0).where(Math.PI / 2, 0));
}

export type BoxLossKind = 'iou' | 'giou' | 'diou' | 'ciou';

/**
 * The per-box loss of each kind: 1 − IoU; + (C − U)/(C + eps) (GIoU); + ρ²/c² (DIoU); + α·v with
 * v = 4/π²·(atan(w_t/h_t) − atan(w/h))² and α = v/(1 − IoU + v + eps) held constant (CIoU, as torchvision's no_grad).
 * atan(w/h) is exact for h > 0 and its limit π/2 for a flat box.
 */
export function boxLoss(pred: Tensor, target: Tensor, kind: BoxLossKind, eps: number): Tensor {
  const g = boxGeometry(pred, target, eps);
  let loss = g.iou.neg().add(1);
  if (kind === 'giou') return loss.add(g.enclosing.sub(g.union).div(g.enclosing.add(eps)));
  if (kind === 'iou') return loss;
  loss = loss.add(g.rho2.div(g.c2));
  if (kind === 'diou') return loss;
  const v = aspectAngle(g.wt, g.ht).sub(aspectAngle(g.w, g.h)).square().mul(4 / Math.PI ** 2);
  const alpha = v.div(g.iou.neg().add(1).add(v).add(eps)).detach();
  return loss.add(alpha.mul(v));
}
