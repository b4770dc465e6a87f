// SelMix's pair distribution (the authors' SamplingDistribution): softmax of G/s over all pairs, kept where G > 0,
// then (P + 1e-8) renormalised; hand-derived for a 2 × 2 gain table.
import { describe, expect, test } from 'vitest';
import { Generator, tensor } from '@graft/core';
import '../bench-helpers.js';
import { selmixPairDistribution, selmixSamplePairs } from '../../src/index.js';

describe('SelMix P_mix', () => {
  test('masked softmax of the gains with the authors\' floor', () => {
    const gain = tensor([[1, -1], [0, 2]], { dtype: 'float64' });
    const p = Array.from(selmixPairDistribution(gain, 0.5).data());
    const e = [Math.exp(2), Math.exp(-2), 1, Math.exp(4)];
    const z = e.reduce((s, v) => s + v, 0);
    const raw = [e[0] / z, 0, 0, e[3] / z].map((v) => v + 1e-8);
    const total = raw.reduce((s, v) => s + v, 0);
    expect(p).toEqual(raw.map((v) => expect.closeTo(v / total, 14)));
  });

  test('pair draws follow P_mix, λ in [λ_min, 1], reproducible from the seed', () => {
    const p = tensor([[0, 0.75], [0.25, 0]], { dtype: 'float64' });
    const draw = () => selmixSamplePairs(p, 400, { lambdaMin: 0.8, generator: new Generator(5) });
    const { first, second, lambdas } = draw();
    const i = Array.from(first.data());
    const j = Array.from(second.data());
    expect(i.every((v, m) => v !== j[m])).toBe(true); // the zero-mass diagonal is never drawn
    const share = i.filter((v) => v === 0).length / i.length;
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.85);
    expect(Array.from(lambdas.data()).every((v) => v >= 0.8 && v <= 1)).toBe(true);
    expect(Array.from(draw().first.data())).toEqual(i);
  });
});
