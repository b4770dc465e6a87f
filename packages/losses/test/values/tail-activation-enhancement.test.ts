// Tail-activation enhancement + one-class scoring, hand-derived: z = a − τ·log π, score ‖z − g(z)‖² with the
// caller's autoencoder g; the log-prior boost lifts the tail class's activation.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { tailActivationEnhancement } from '../../src/index.js';

describe('tail-activation enhancement', () => {
  test('the autoencoder callback gives the reconstruction', () => {
    const a = tensor([[1, 2], [0, -1]], { dtype: 'float64' });
    const priors = tensor([0.8, 0.2], { dtype: 'float64' });
    const s = tailActivationEnhancement(a, { classPriors: priors, autoencoder: (z) => z.mul(0.5) }).data();
    const z = [[1 - Math.log(0.8), 2 - Math.log(0.2)], [-Math.log(0.8), -1 - Math.log(0.2)]];
    expect(Array.from(s)).toEqual(z.map((r) => expect.closeTo(0.25 * (r[0] ** 2 + r[1] ** 2), 12)));
  });

  test('the log-prior boost enters the score (given centre)', () => {
    const a = tensor([[0, 0]], { dtype: 'float64' });
    const counts = tensor([90, 10], { dtype: 'float64' });
    const s = tailActivationEnhancement(a, { classCounts: counts, center: [0, 0] }).item();
    expect(s).toBeCloseTo(Math.log(0.9) ** 2 + Math.log(0.1) ** 2, 12);
  });
});
