// SRAT's PGD examples and its separability term, hand-derived: a linear loss moves each coordinate by η·sign(a) per
// step until the ε-ball (and [0, 1]) stops it; two same-class features of one direction give sep = log(1 + e^{(c−1)/τ}).
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { sratLoss, sratPgdExamples } from '../../src/index.js';

describe('SRAT', () => {
  test('PGD steps are signed, projected on the ε-ball and the box', () => {
    const x = tensor([[0.5, 0.5, 0.99]], { dtype: 'float64' });
    const a = tensor([[2, -3, 1]], { dtype: 'float64' });
    const adv = sratPgdExamples((z) => z.mul(a).sum(), x, { eps: 0.05, steps: 3, stepSize: 0.02 }).data();
    expect(Array.from(adv)).toEqual([0.55, 0.45, 1].map((v) => expect.closeTo(v, 12)));
  });

  test('separability term against its closed form', () => {
    const logits = tensor([[0, 0], [0, 0], [0, 0]], { dtype: 'float64' });
    const y = tensor([0, 0, 1], { dtype: 'int32' });
    const h = tensor([[1, 0], [2, 0], [0, 1]], { dtype: 'float64' });
    const none = sratLoss(logits, y, h, { tau: 0.5, reduction: 'none' }).data();
    // anchors 0 and 1: positive similarity 1/τ = 2, the other class 0 → sep = log(e² + 1) − 2; anchor 2: no positive
    const sep = Math.log(Math.exp(2) + 1) - 2;
    expect(Array.from(none)).toEqual([Math.LN2 + sep, Math.LN2 + sep, Math.LN2].map((v) => expect.closeTo(v, 12)));
  });
});
