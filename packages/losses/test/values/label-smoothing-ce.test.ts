// The property label smoothing is for (Szegedy et al. 2016; Müller, Kornblith & Hinton, "When does label smoothing
// help?", NeurIPS 2019): the smoothed loss is minimised at a finite logit gap, where cross-entropy keeps pushing.
// With z_y = g and the C − 1 other logits 0, ∂ℓ/∂z_y = p_y − q_y = 0 exactly at e^g = q_y(C − 1)/(1 − q_y), i.e.
// g* = log(((1 − ε)C + ε)/ε) (hand-derived: q_y = 1 − ε + ε/C, 1 − q_y = ε(C − 1)/C).
import { expect, test } from 'vitest';
import { grad, tensor } from '@graft/core';
import '../bench-helpers.js';
import { labelSmoothingCe } from '../../src/regularizer/label-smoothing-ce.js';

test('label smoothing: zero gradient at the finite gap g* = log(((1 − ε)C + ε)/ε); cross-entropy still pushes there', () => {
  const c = 5;
  const eps = 0.1;
  const gStar = Math.log(((1 - eps) * c + eps) / eps);
  const z = tensor([[gStar, 0, 0, 0, 0]], { dtype: 'float64' }).requiresGrad_();
  const y = tensor([0], { dtype: 'int32' });
  const [gLs] = grad(labelSmoothingCe(z, y, { eps }), [z]);
  Array.from(gLs!.data()).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
  const [gCe] = grad(labelSmoothingCe(z, y, { eps: 0 }), [z]);
  expect(gCe!.data()[0]).toBeLessThan(-1e-3); // descent still raises z_y: CE's optimum is at an infinite gap
  // And the value there: −Σ q log p with p = q, the entropy of q.
  const qy = 1 - eps + eps / c;
  const qo = eps / c;
  const entropy = -(qy * Math.log(qy) + (c - 1) * qo * Math.log(qo));
  expect(labelSmoothingCe(z.detach(), y, { eps }).item()).toBeCloseTo(entropy, 12);
});
