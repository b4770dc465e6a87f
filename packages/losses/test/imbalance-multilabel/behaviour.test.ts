/**
 * Behavioural tests of the imbalance and multi-label headline losses: the property each paper claims,
 * on a constructed case; and the class-statistics helpers and the DRW schedule's explicit state.
 */
import '@graft/backend-cpu';
import { describe, expect, test } from 'vitest';
import { ArgumentError, grad, tensor, type Tensor } from '@graft/core';
import {
  asymmetricLoss, balancedSoftmaxLoss, classBalancedLoss, classCountsFromLabels, classPriorsFromLabels, createDrwWeights,
  crossEntropy, focalLoss, ldamLoss, logitAdjustedLoss, registry,
} from '../../src/index.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });
const gradOf = (f: (x: Tensor) => Tensor, x: Tensor): Tensor => grad(f(x.requiresGrad_()), [x])[0]!;

describe('class statistics', () => {
  test('counts and priors from class indices and from multi-hot targets', () => {
    expect(Array.from(classCountsFromLabels(i32([0, 2, 2, 1, 2]), 4).data())).toEqual([1, 1, 3, 0]);
    expect(Array.from(classCountsFromLabels(f64([[1, 0, 1], [1, 1, 0]]), 3).data())).toEqual([2, 1, 1]);
    expect(Array.from(classPriorsFromLabels(i32([0, 0, 1, 1]), 2).data())).toEqual([0.5, 0.5]);
  });

  test('a zero count is a clear error, never an infinite margin', () => {
    const x = f64([[1, 2, 3]]);
    const t = i32([0]);
    for (const f of [ldamLoss, logitAdjustedLoss, classBalancedLoss]) {
      expect(() => f(x, t, { classCounts: [5, 0, 2] })).toThrow(ArgumentError);
      expect(() => f(x, t, { classCounts: [5, 0, 2] })).toThrow(/positive count.*counts \+ 1/);
    }
  });
});

describe('DRW schedule', () => {
  test('ones before T0, class-balanced weights from T0 on; state round-trips', () => {
    const drw = createDrwWeights({ classCounts: [100, 10, 1], deferEpoch: 3, beta: 0.99 });
    expect(Array.from(drw.update(2).data())).toEqual([1, 1, 1]);
    const w = Array.from(drw.update(3).data());
    expect(w[0]).toBeLessThan(w[1]);
    expect(w[1]).toBeLessThan(w[2]);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
    const state = JSON.parse(JSON.stringify(drw.stateDict()));
    expect(state).toEqual({ epoch: 3, deferEpoch: 3, beta: 0.99, classCounts: [100, 10, 1] });
    const other = createDrwWeights({ classCounts: [1, 1, 1] });
    other.loadStateDict(state);
    expect(Array.from(other.weights.data())).toEqual(w);
    expect(registry.get('drw').fn(f64([100, 10, 1]), { epoch: 3, deferEpoch: 3, beta: 0.99 }).data()).toEqual(drw.weights.data());
  });
});

describe('the papers\' claims on constructed cases', () => {
  test('focal: a well-classified sample is down-weighted relative to cross-entropy (Lin et al.)', () => {
    const x = f64([[4, 0, 0], [0.2, 0, 0]]); // easy, hard; both of class 0
    const t = i32([0, 0]);
    const fl = focalLoss(x, t, { reduction: 'none' }).data();
    const ce = crossEntropy(x, t, { reduction: 'none' }).data();
    expect(fl[0] / ce[0]).toBeLessThan(0.01);
    expect(fl[1] / ce[1]).toBeGreaterThan(0.3);
  });

  test('class-balanced: a sample of the rare class weighs more than one of the frequent class (Cui et al.)', () => {
    const x = f64([[0, 0], [0, 0]]);
    const v = classBalancedLoss(x, i32([0, 1]), { classCounts: [1000, 10], beta: 0.999, reduction: 'none' }).data();
    expect(v[1]).toBeGreaterThan(5 * v[0]);
  });

  test('LDAM: the rare class gets the larger margin (Cao et al.)', () => {
    // Same logits, the target the frequent or the rare class: the rare one is pushed harder (larger loss).
    const counts = [1000, 10];
    const frequent = ldamLoss(f64([[0.3, 0]]), i32([0]), { classCounts: counts }).item();
    const rare = ldamLoss(f64([[0, 0.3]]), i32([1]), { classCounts: counts }).item();
    expect(rare).toBeGreaterThan(frequent);
    // The margins are m_max·(n_min/n_j)^{1/4}: 0.5 for the rare class, 0.5·10^{-1/2} for the frequent one.
    const s = 30;
    const expectRare = Math.log1p(Math.exp(-s * (0.3 - 0.5)));
    expect(rare).toBeCloseTo(expectRare, 10);
  });

  test('logit adjustment / Balanced Softmax: equal logits cost −log π_y, and the rare logit is pushed harder than by CE (Menon et al.)', () => {
    // Equal logits: softmax(z + log π) = π, so the loss is −log π_y.
    const prior = [0.9, 0.1];
    const x = f64([[0, 0]]);
    const rare = logitAdjustedLoss(x, i32([1]), { classPriors: prior }).item();
    const frequent = logitAdjustedLoss(x, i32([0]), { classPriors: prior }).item();
    expect(rare).toBeCloseTo(-Math.log(0.1), 12);
    expect(frequent).toBeCloseTo(-Math.log(0.9), 12);
    // The gradient pushes the rare class's logit up more than CE would.
    const g = gradOf((z) => balancedSoftmaxLoss(z, i32([1]), { classCounts: [90, 10] }), f64([[0, 0]])).data();
    const gCe = gradOf((z) => crossEntropy(z, i32([1])), f64([[0, 0]])).data();
    expect(-g[1]).toBeGreaterThan(-gCe[1]);
  });

  test('ASL: easy negatives below the clip are discarded (Ridnik et al.)', () => {
    const t = f64([[0, 0, 1]]);
    const z = f64([[-4, 1, 2]]); // σ(−4) ≈ 0.018 < m = 0.05: discarded; σ(1) ≈ 0.73 kept
    const v = asymmetricLoss(z, t, { reduction: 'none' }).data();
    expect(Math.abs(v[0])).toBe(0);
    expect(v[1]).toBeGreaterThan(0);
    const g = gradOf((x) => asymmetricLoss(x, t), z).data();
    expect(Math.abs(g[0])).toBe(0);
  });
});
