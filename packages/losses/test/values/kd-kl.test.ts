// Hinton, Vinyals & Dean 2015, §2: the soft-target gradient is ∂C/∂z_i = (1/T)(q_i − p_i), whose size falls as
// 1/T² at high temperature (→ (z_i − v_i)/(C·T²) for zero-mean logits), so the soft term is multiplied by T² to keep
// its relative contribution when T changes. Checked: the exact gradient T·(q − p)/N of kd-kl (batchmean), its
// high-T limit (z − v)/(C·N) independent of T, and the T² ratio against the bare KL.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { kdKlLoss } from '../../src/index.js';

const zs = [[1.5, -0.5, 0.25, -1.25], [-0.75, 2, -1, -0.25]]; // rows sum to 0 (zero-mean logits, Hinton's assumption)
const zt = [[0.5, 1, -2, 0.5], [1, -1, 0.5, -0.5]];
const N = 2;
const C = 4;

const gradAt = (T: number, scaled = true): number[] => {
  const z = tensor(zs, { dtype: 'float64' }).requiresGrad_();
  const loss = kdKlLoss(z, tensor(zt, { dtype: 'float64' }), undefined, { T });
  (scaled ? loss : loss.div(T * T)).backward();
  return Array.from(z.grad!.data());
};
const softmax = (row: number[], T: number) => {
  const m = Math.max(...row.map((v) => v / T));
  const e = row.map((v) => Math.exp(v / T - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('kd-kl, the T² gradient scale (Hinton et al.)', () => {
  test.each([1, 2, 4, 8])('T = %d: ∂L/∂z_s = T·(q − p)/N exactly (T² times the bare KL gradient (q − p)/(T·N))', (T) => {
    const expected = zs.flatMap((row, i) => {
      const q = softmax(row, T);
      const p = softmax(zt[i], T);
      return q.map((qk, k) => (T * (qk - p[k])) / N);
    });
    gradAt(T).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 12));
    gradAt(T, false).forEach((g, i) => expect(g * T * T).toBeCloseTo(expected[i], 12));
  });

  test('high T: the T²-scaled gradient tends to (z_s − z_t)/(C·N), the same at every T, while the bare KL gradient falls as 1/T²', () => {
    const limit = zs.flatMap((row, i) => row.map((v, k) => (v - zt[i][k]) / (C * N)));
    for (const T of [100, 1000]) {
      gradAt(T).forEach((g, i) => expect(Math.abs(g - limit[i])).toBeLessThan(5 / T));
    }
    const bare100 = gradAt(100, false);
    const bare1000 = gradAt(1000, false);
    bare100.forEach((g, i) => expect(Math.abs(g / bare1000[i] / 100 - 1)).toBeLessThan(0.02));
  });
});
