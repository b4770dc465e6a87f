// DASO's caller-side memory (the authors' balanced FeatureQueue and pseudo-label counter) and its blend rule,
// hand-derived: v = (N̂_k / max N̂)^(1/T_dist) of the linear prediction k decides how much of q enters p̂.
import { describe, expect, test } from 'vitest';
import { tensor } from '@graft/core';
import '../bench-helpers.js';
import { createDasoState, dasoPseudoLabels } from '../../src/index.js';

describe('DASO', () => {
  test('balanced queue prototypes, pseudo-label counts, state round trip', () => {
    const state = createDasoState(2, 2, { queueSize: 2 });
    state.enqueue(tensor([[1, 0], [3, 0], [0, 4], [5, 2]], { dtype: 'float64' }), tensor([0, 0, 1, 0], { dtype: 'int32' }));
    // class 0 keeps its last two features (3, 0) and (5, 2); class 1 has (0, 4)
    expect(Array.from(state.prototypes().data())).toEqual([4, 1, 0, 4]);
    state.pushPseudoLabels(tensor([1, 1, 0], { dtype: 'int32' }));
    expect(Array.from(state.pseudoLabelCounts().data())).toEqual([1, 2]);
    const copy = createDasoState(2, 2);
    copy.loadStateDict(JSON.parse(JSON.stringify(state.stateDict())));
    expect(Array.from(copy.prototypes().data())).toEqual([4, 1, 0, 4]);
    expect(Array.from(copy.pseudoLabelCounts().data())).toEqual([1, 2]);
  });

  test('the blend follows the linear prediction\'s pseudo-label frequency', () => {
    const protos = tensor([[1, 0], [0, 1]], { dtype: 'float64' });
    const logits = tensor([[2, 0], [0, 2]], { dtype: 'float64' });
    const feats = tensor([[0, 1], [0, 1]], { dtype: 'float64' }); // q points to class 1 for both rows
    const counts = tensor([8, 2], { dtype: 'float64' });
    const { labels, confidence } = dasoPseudoLabels(logits, feats, protos, counts, { tProto: 1, tDist: 1 });
    const p = 1 / (1 + Math.exp(-2));
    const q1 = 1 / (1 + Math.exp(-1));
    // row 0 predicts the frequent class 0: v = 1, p̂ = q → class 1 with q1; row 1 predicts class 1: v = 1/4
    expect(Array.from(labels.data())).toEqual([1, 1]);
    expect(confidence.data()[0]).toBeCloseTo(q1, 12);
    expect(confidence.data()[1]).toBeCloseTo(0.75 * p + 0.25 * q1, 12);
  });
});
