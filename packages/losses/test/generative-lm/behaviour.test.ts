// Behaviour the generative/LM entries promise beyond their fixture values (issue 14): the z-loss vanishes with its
// gradient where logsumexp = 0; the GAN losses' players and classic identities; stop-gradients reach nothing;
// the log-space forms stay finite where the naive ones do not.
import { describe, expect, test } from 'vitest';
import { grad, tensor } from '@graft/core';
import '../bench-helpers.js';
import { emoLoss, ganHingeLoss, ganLeastSquaresLoss, ganNonsaturatingLoss, knnLmInterpolation, palmZLoss, unlikelihoodLoss, vaeElbo, vaeGaussianKl } from '../../src/index.js';

const f64 = (v: number[] | number[][] | number[][][]) => tensor(v, { dtype: 'float64' });

describe('generative/LM behaviour', () => {
  test('z-loss is 0, with a zero gradient, when logsumexp is 0 (rows already log-probabilities)', () => {
    const logp = f64([[Math.log(0.2), Math.log(0.3), Math.log(0.5)], [Math.log(0.9), Math.log(0.05), Math.log(0.05)]]).requiresGrad_();
    const z = palmZLoss(logp);
    expect(Math.abs(z.item())).toBeLessThan(1e-20);
    grad(z, [logp])[0]!.data().forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-18));
    const shifted = f64([[1, 2, 3]]);
    expect(palmZLoss(shifted, undefined, { c: 1 }).item()).toBeCloseTo(shifted.logsumexp(-1).square().item(), 12);
  });

  test("GAN losses: the generator's loss pushes D(G(z)) up (LSGAN: toward c = 1), the discriminator's pushes it down (LSGAN: toward a = 0)", () => {
    const dFake = f64([0.3, -1.2, 2]).requiresGrad_();
    const dReal = f64([1.5, 0.2, -0.4]);
    for (const loss of [ganHingeLoss, ganLeastSquaresLoss, ganNonsaturatingLoss]) {
      const [gGen] = grad(loss(dFake), [dFake]);
      gGen!.data().forEach((g, i) => expect(loss === ganLeastSquaresLoss ? g * (dFake.data()[i] - 1) : -g).toBeGreaterThanOrEqual(0));
      const [gDis] = grad(loss(dFake, dReal), [dFake]);
      gDis!.data().forEach((g, i) => expect(loss === ganLeastSquaresLoss ? g * dFake.data()[i] : g).toBeGreaterThanOrEqual(0));
    }
    // The non-saturating discriminator loss is BCE with logits: real = 1, fake = 0.
    const bce = (x: number, y: number) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0) - x * y;
    const expected = [0, 1, 2].map((i) => bce(dReal.data()[i], 1) + bce(dFake.data()[i], 0));
    ganNonsaturatingLoss(dFake, dReal, { reduction: 'none' }).data().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  test('VAE KL is 0 at the prior and the ELBO is the reconstruction plus β·KL', () => {
    expect(vaeGaussianKl(f64([[0, 0]]), f64([[0, 0]])).item()).toBe(0);
    const [x, xh, mu, lv] = [f64([[1, 2]]), f64([[0.5, 2.5]]), f64([[0.3, -0.1]]), f64([[0.2, -0.4]])];
    const kl = vaeGaussianKl(mu, lv).item();
    expect(vaeElbo(xh, x, mu, lv, { beta: 3 }).item()).toBeCloseTo(0.25 + 3 * kl, 12);
  });

  test('EMO: the value is the cross-entropy and no gradient reaches the frozen embedding', () => {
    const z = f64([[2, -1, 0.5], [0, 3, -2]]).requiresGrad_();
    const y = tensor([0, 1]).int();
    const e = f64([[1, 0], [0.6, 0.8], [-1, 0.2]]).requiresGrad_();
    const loss = emoLoss(z, y, e);
    const ce = z.logSoftmax(-1).gather(-1, y.unsqueeze(-1)).neg().mean();
    expect(loss.item()).toBeCloseTo(ce.item(), 12);
    const [, ge] = grad(loss, [z, e], { allowUnused: true });
    expect(ge === null || ge.data().every((v) => v === 0)).toBe(true);
  });

  test('unlikelihood stays finite where a negative candidate has probability 1 in float64', () => {
    const z = f64([[[0, 0, 0], [1e4, -1e4, 0]]]).requiresGrad_(); // position 1: token 0 (a previous target) has p = 1
    const y = tensor([[0, 1]]).int();
    const loss = unlikelihoodLoss(z, y);
    expect(Number.isFinite(loss.item())).toBe(true);
    expect(grad(loss, [z])[0]!.data().every(Number.isFinite)).toBe(true);
  });

  test('kNN-LM: λ → 0 recovers the LM cross-entropy; a row without the target among the neighbours is finite', () => {
    const z = f64([[1, 2, 0.5]]).requiresGrad_();
    const y = tensor([2]).int();
    const lm = -z.logSoftmax(-1).data()[2];
    const v = knnLmInterpolation(z, y, f64([[0.5, 1]]), tensor([[0, 1]]).int(), { lambda: 1e-12 });
    expect(v.item()).toBeCloseTo(lm, 9);
    expect(grad(v, [z])[0]!.data().every(Number.isFinite)).toBe(true);
  });
});
