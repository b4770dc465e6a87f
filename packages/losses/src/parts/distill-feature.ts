/** Feature-matching pieces of the distillation family: a same-shape check and the per-sample mean squared error. */
import { ShapeError, type Tensor } from '@graft/core';

/** Throws a ShapeError naming `loss` unless the student's and the teacher's feature shapes are one (a host-side check). */
export function checkSameShape(loss: string, student: readonly number[], teacher: readonly number[], what = 'input and teacher'): void {
  if (student.length !== teacher.length || student.some((n, i) => n !== teacher[i])) {
    throw new ShapeError(loss, `${what}: expected one shape, got [${student.join(', ')}] and [${teacher.join(', ')}]`);
  }
}

/** mean over every dim but the first of (a − sg(b))²: [N, ...] → [N] (the mean over N of it is the elementwise MSE). */
export function perSampleMse(student: Tensor, teacher: Tensor): Tensor {
  const sq = student.sub(teacher.detach()).square();
  return sq.ndim === 1 ? sq : sq.mean(Array.from({ length: sq.ndim - 1 }, (_, i) => i + 1));
}
