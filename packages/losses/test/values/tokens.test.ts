// The token-level plumbing (parts/tokens.ts) against values derived by hand: log p = z_y − logsumexp(z),
// masked sums and means, ignore-index handling, length normalisation, finiteness at logits of ±1e4.
import '@graft/backend-cpu';
import { describe, expect, test } from 'vitest';
import { grad, tensor } from '@graft/core';
import { IGNORE_INDEX, lengthNormalize, maskedMean, maskedSum, maskedTokenMean, sequenceLogProbs, shiftForNextToken } from '../../src/parts/tokens.js';

const lse = (row: number[]) => { const m = Math.max(...row); return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)); };
const close = (a: ArrayLike<number>, b: number[], tol = 1e-12) => { expect(a.length).toBe(b.length); b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, -Math.log10(tol))); };

describe('parts/tokens', () => {
  const z = [[[1, 2, 0.5], [0, -1, 3], [2, 2, 2]], [[0.3, -0.7, 1.1], [4, 0, -2], [1, 0, 0]]];
  const y = [[2, 1, 0], [0, 0, -100]];
  const logits = () => tensor(z, { dtype: 'float64' });
  const tokens = () => tensor(y, { dtype: 'int32' });
  const want = z.map((seq, b) => seq.map((row, t) => (y[b][t] === -100 ? 0 : row[y[b][t]] - lse(row))));

  test('sequenceLogProbs: log p per token, ignoreIndex zeroed, sum, count and mean', () => {
    const r = sequenceLogProbs(logits(), tokens(), null, IGNORE_INDEX);
    close(r.tokens.data(), want.flat());
    close(r.sum.data(), [want[0][0] + want[0][1] + want[0][2], want[1][0] + want[1][1]]);
    close(r.count.data(), [3, 2]);
    close(r.mean.data(), [(want[0][0] + want[0][1] + want[0][2]) / 3, (want[1][0] + want[1][1]) / 2]);
  });

  test('a 0/1 mask drops positions, and no gradient reaches a dropped one', () => {
    const x = logits().requiresGrad_();
    const r = sequenceLogProbs(x, tokens(), tensor([[1, 0, 1], [1, 1, 0]], { dtype: 'float64' }), IGNORE_INDEX);
    close(r.sum.data(), [want[0][0] + want[0][2], want[1][0] + want[1][1]]);
    const [g] = grad(r.sum.sum(), [x]);
    const gd = Array.from(g!.data());
    expect(gd.slice(3, 6).every((v) => v === 0)).toBe(true); // [0, 1, :]
    expect(gd.slice(15, 18).every((v) => v === 0)).toBe(true); // [1, 2, :]
    // d log p / d z = onehot − softmax at counted positions: the row sums to 0.
    expect(gd.slice(0, 3).reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
  });

  test('finite at logits of ±1e4 (log-softmax, never log of softmax)', () => {
    const r = sequenceLogProbs(tensor([[[1e4, -1e4], [-1e4, 1e4]]], { dtype: 'float32' }), tensor([[1, 1]], { dtype: 'int32' }));
    close(r.tokens.data(), [-2e4, 0], 1e-3);
  });

  test('masked sums, means, token mean, length normalisation, next-token shift', () => {
    const v = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    const m = tensor([[true, true, false], [false, false, false]]);
    close(maskedSum(v, m).data(), [3, 0]);
    close(maskedMean(v, m).data(), [1.5, 0]);
    close(maskedTokenMean(v, tensor([[true, false, false], [true, true, false]])).data(), [10 / 3]);
    close(lengthNormalize(tensor([-6, -4], { dtype: 'float64' }), tensor([3, 4], { dtype: 'float64' })).data(), [-2, -1]);
    close(lengthNormalize(tensor([-8], { dtype: 'float64' }), tensor([4], { dtype: 'float64' }), 0.5).data(), [-4]);
    const [sl, st] = shiftForNextToken(logits(), tokens());
    expect(sl.shape).toEqual([2, 2, 3]);
    expect(Array.from(st.data())).toEqual([1, 0, 0, -100]);
  });
});
