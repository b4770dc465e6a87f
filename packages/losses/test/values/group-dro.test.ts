// The explicit, serialisable states of the stateful robust entries: online Group DRO's q (Sagawa et al. 2020,
// Algorithm 1), ALDR-KL's per-sample λ buffer and DAFA's class weights (the authors' calculate_class_weights).
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { aldrKlLoss, createAldrKlState, createDafaState, createGroupDroState, dafaClassWeights, groupDroLoss } from '../../src/index.js';

describe('stateful robust objectives', () => {
  test('Group DRO: the state applies the same update as the loss, and round-trips', () => {
    const losses = tensor([1, 3, 2, 5], { dtype: 'float64' });
    const groups = tensor([0, 1, 1, 0], { dtype: 'int32' });
    const state = createGroupDroState(3, { eta: 0.5 });
    const before = state.weights();
    const loss = groupDroLoss(losses, groups, { groupWeights: before, eta: 0.5 });
    const q = state.update(losses, groups);
    // group means 3 and 2.5, group 2 empty (mean 0): q ∝ (e^{1.5}, e^{1.25}, 1)/3
    const w = [Math.exp(1.5), Math.exp(1.25), 1];
    const s = w[0] + w[1] + w[2];
    expect(Array.from(q.data())).toEqual(w.map((v) => expect.closeTo(v / s, 12)));
    expect(loss.item()).toBeCloseTo((3 * w[0] + 2.5 * w[1]) / s, 12);
    const copy = createGroupDroState(3);
    copy.loadStateDict(JSON.parse(JSON.stringify(state.stateDict())));
    expect(Array.from(copy.weights().data())).toEqual(Array.from(state.weights().data()));
    expect(groupDroLoss(losses, groups).item()).toBe(3); // hard form: the worst present group
  });

  test('ALDR-KL: λ buffer per sample id; a first visit uses λ0', () => {
    const z = tensor([[4, -1, 0], [0.1, 0, -0.1]], { dtype: 'float64' });
    const y = tensor([0, 2], { dtype: 'int32' });
    const ids = tensor([7, 2], { dtype: 'int32' });
    const state = createAldrKlState(10);
    expect(Array.from(state.previous(ids).data())).toEqual([10, 10]);
    const first = aldrKlLoss(z, y, { lambdaPrev: state.previous(ids) }).item();
    expect(first).toBeCloseTo(aldrKlLoss(z, y).item(), 12);
    const lam = Array.from(state.update(ids, z).data());
    expect(lam[0]).toBeLessThan(10); // the confident row moves away from λ0
    expect(Array.from(state.previous(ids).data())).toEqual(lam);
    expect(state.stateDict().lambdas[7]).toBe(lam[0]);
  });

  test('DAFA: weights move from the easier to the harder of two similar classes', () => {
    // class 0 hard (P00 = .6), confused with class 1 (P01 = .3); class 1 easy (P11 = .8, P10 = .1); class 2 isolated.
    const p = tensor([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.05, 0.05, 0.9]], { dtype: 'float64' });
    const w = dafaClassWeights(p);
    expect(w[0]).toBeCloseTo(1 + 0.3 * 0.8 + 0.1 * 0.9, 12);
    expect(w[1]).toBeCloseTo(1 + 0.1 * 0.9 - 0.1 * 0.6, 12);
    expect(w[2]).toBeCloseTo(1 - 0.05 * 0.6 - 0.05 * 0.8, 12);
    const state = createDafaState(3);
    expect(Array.from(state.weights().data())).toEqual([1, 1, 1]);
  });
});
