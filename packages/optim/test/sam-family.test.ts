/**
 * The perturb/restore part and the SAM family built on it (GSAM, DGSAM, ImbSAM) plus the weight
 * perturbations of adversarial training (AWP, RWP): each update against the same rule computed
 * by hand with core's grad.
 */
import { describe, expect, test } from 'vitest';
import { grad, noGrad, type Tensor } from '@graft/core';
import { AWP, DGSAM, GSAM, ImbSAM, RWP, SAM, SGD, WeightPerturbation } from '../src/index.js';
import { expectClose, f64, param, toyRegression, values } from './helpers.js';

const snapshot = (ps: readonly Tensor[]) => ps.map(values);
const gradsAt = (loss: () => Tensor, ps: readonly Tensor[]) => grad(loss(), ps, { allowUnused: true }).map((g) => (g ? values(g) : null));

/** Moves params to the given flat values (and back with the returned function). */
function moveTo(ps: readonly Tensor[], vals: number[][]): () => void {
  const old = ps.map((p) => p.clone());
  noGrad(() => ps.forEach((p, i) => p.assign(f64(vals[i]).reshape(p.shape))));
  return () => noGrad(() => ps.forEach((p, i) => p.assign(old[i])));
}

describe('WeightPerturbation', () => {
  test('restore puts the saved weights back bit for bit; remove subtracts the offset', () => {
    const w = param([0.1, 0.2, 0.3]);
    const e = f64([1e-3, 1 / 3, -7]);
    const wp = new WeightPerturbation();
    wp.apply([w], [e]);
    expect(wp.active).toBe(true);
    expectClose(w, [0.1 + 1e-3, 0.2 + 1 / 3, 0.3 - 7], 0, 0);
    wp.restore();
    expect(values(w)).toEqual([0.1, 0.2, 0.3]);
    wp.apply([w], [e]);
    wp.remove();
    expectClose(w, [0.1, 0.2, 0.3], 1e-15, 0);
    expect(wp.active).toBe(false);
  });

  test('a null offset leaves its parameter alone; a second apply throws', () => {
    const [a, b] = [param([1]), param([2])];
    const wp = new WeightPerturbation();
    wp.apply([a, b], [null, f64([1])]);
    expect([values(a), values(b)]).toEqual([[1], [3]]);
    expect(() => wp.apply([a], [f64([1])])).toThrow(/already applied/);
  });
});

describe('GSAM', () => {
  const loss = (w: Tensor) => () => w.pow(4).sum().add(w.prod().mul(3)).add(w.square().sum());

  test('base step with g_p − α(g − cos·‖g‖·g_p/‖g_p‖), back at w (w ← w + e − e)', () => {
    const w = param([0.6, -0.4, 1.1]);
    const [lr, rho, alpha] = [0.05, 0.3, 0.4];
    const g = gradsAt(loss(w), [w])[0]!;
    const n = Math.hypot(...g);
    const e = g.map((x) => (rho * x) / (n + 1e-12));
    const w0 = values(w);
    const back = moveTo([w], [w0.map((x, i) => x + e[i])]);
    const gp = gradsAt(loss(w), [w])[0]!;
    back();
    const np = Math.hypot(...gp);
    const cos = g.reduce((s, x, i) => s + x * gp[i], 0) / (np * n + 1e-12);
    const expected = w0.map((x, i) => x - lr * (gp[i] - alpha * (g[i] - (cos * n * gp[i]) / (np + 1e-12))));

    const gsam = new GSAM([w], SGD, { lr, rho, alpha });
    gsam.step(() => { const l = loss(w)(); l.backward(); return l; });
    expectClose(w, expected, 1e-14, 1e-12);
  });

  test('alpha = 0 is SAM (up to the rounding of w + e − e)', () => {
    const run = (Wrapper: typeof SAM | typeof GSAM) => {
      const w = param([0.6, -0.4, 1.1]);
      const opt = new Wrapper([w], SGD, { lr: 0.05, momentum: 0.9, rho: 0.3, ...(Wrapper === GSAM ? { alpha: 0 } : {}) });
      for (let i = 0; i < 5; i++) { opt.zeroGrad(); opt.step(() => { const l = loss(w)(); l.backward(); return l; }); }
      return values(w);
    };
    expectClose(run(GSAM), run(SAM), 1e-14, 1e-12);
  });

  test('rhoSchedule sets ρ from each group\'s lr', () => {
    const w = param([1, 1]);
    const gsam = new GSAM([w], SGD, { lr: 0.05, rhoSchedule: { rhoMin: 0.01, rhoMax: 0.1, lrMin: 0, lrMax: 0.1 } });
    gsam.step(() => { const l = w.square().sum(); l.backward(); return l; });
    expect(gsam.paramGroups[0].rho).toBeCloseTo(0.055, 15);
  });
});

describe('DGSAM', () => {
  const lossOf = (w: Tensor) => () => w.exp().sum().add(w.prod().square());
  const run = (opt: SAM<SGD> | SGD, w: Tensor) => {
    for (let i = 0; i < 4; i++) {
      opt.zeroGrad();
      const c = () => { const l = lossOf(w)(); l.backward(); return l; };
      if (opt instanceof SAM) opt.step(c); else opt.step(c);
    }
    return values(w);
  };
  test('gapWeight 1 is SAM and 0 is the base optimizer, exactly', () => {
    const mk = () => param([0.2, -0.5]);
    const [a, b, c, d] = [mk(), mk(), mk(), mk()];
    expect(run(new DGSAM([a], SGD, { lr: 0.1, rho: 0.2 }), a)).toEqual(run(new SAM([b], SGD, { lr: 0.1, rho: 0.2 }), b));
    expect(run(new DGSAM([c], SGD, { lr: 0.1, rho: 0.2, gapWeight: 0 }), c)).toEqual(run(new SGD([d], { lr: 0.1 }), d));
  });

  test('gapWeight λ steps with (1 − λ)∇L(w) + λ∇L(w + e)', () => {
    const w = param([0.2, -0.5]);
    const g = gradsAt(lossOf(w), [w])[0]!;
    const n = Math.hypot(...g);
    const back = moveTo([w], [values(w).map((x, i) => x + (0.2 * g[i]) / (n + 1e-12))]);
    const gp = gradsAt(lossOf(w), [w])[0]!;
    back();
    const expected = values(w).map((x, i) => x - 0.1 * (0.7 * g[i] + 0.3 * gp[i]));
    const opt = new DGSAM([w], SGD, { lr: 0.1, rho: 0.2, gapWeight: 0.3 });
    opt.step(() => { const l = lossOf(w)(); l.backward(); return l; });
    expectClose(w, expected, 1e-15, 1e-13);
  });
});

describe('ImbSAM', () => {
  test('base step with ∇L_head(w) + ∇L_tail(w + e), e = ρ·∇L_tail/(‖∇L_tail‖ + 1e-16)', () => {
    const t = toyRegression();
    const split = () => { const e = t.perSample(); return { head: e.narrow(0, 0, 20).sum().div(24), tail: e.narrow(0, 20, 4).sum().div(24) }; };
    const [lr, rho] = [0.1, 0.5];
    const w0 = snapshot(t.params);
    const gHead = gradsAt(() => split().head, t.params);
    const gTail = gradsAt(() => split().tail, t.params);
    const n = Math.hypot(...gTail.flatMap((g) => g!));
    const back = moveTo(t.params, w0.map((w, i) => w.map((x, j) => x + (rho * gTail[i]![j]) / (n + 1e-16))));
    const gTailP = gradsAt(() => split().tail, t.params);
    back();
    const expected = w0.map((w, i) => w.map((x, j) => x - lr * (gHead[i]![j] + gTailP[i]![j])));

    const opt = new ImbSAM(t.params, SGD, { lr, rho });
    const losses = opt.step(split);
    expect(losses.head.item()).toBeGreaterThan(0);
    t.params.forEach((p, i) => expectClose(p, expected[i], 1e-14, 1e-12, `param ${i}`));
  });

  test('with no tail samples it is a plain step on the head loss', () => {
    const [a, b] = [toyRegression(), toyRegression()];
    new ImbSAM(a.params, SGD, { lr: 0.1 }).step(() => ({ head: a.loss(), tail: f64(0) }));
    const sgd = new SGD(b.params, { lr: 0.1 });
    b.loss().backward();
    sgd.step();
    a.params.forEach((p, i) => expect(values(p)).toEqual(values(b.params[i])));
  });
});

describe('AWP', () => {
  test('perturbs each weight matrix by γ‖w‖·∇L/‖∇L‖, steps there, then subtracts the same offset', () => {
    const t = toyRegression();
    const [gamma, lr] = [0.05, 0.1];
    const w0 = snapshot(t.params);
    const weights = [0, 2]; // the ndim > 1 tensors of the toy MLP
    const g = gradsAt(t.loss, t.params);
    const v = w0.map((w, i) => {
      if (!weights.includes(i)) return w.map(() => 0);
      const gn = Math.hypot(...g[i]!);
      return g[i]!.map((x) => (gamma * Math.hypot(...w) * x) / gn);
    });
    const back = moveTo(t.params, w0.map((w, i) => w.map((x, j) => x + v[i][j])));
    const gp = gradsAt(t.loss, t.params);
    back();
    const expected = w0.map((w, i) => w.map((x, j) => x - lr * gp[i]![j]));

    const awp = new AWP(t.params, SGD, { lr, gamma });
    const offsets = awp.perturbationFor(t.loss);
    offsets.forEach((o, k) => expectClose([Math.hypot(...values(o!))], [gamma * Math.hypot(...w0[weights[k]])], 1e-12, 1e-10, `‖γv‖ of weight ${k}`));
    awp.step(t.loss);
    t.params.forEach((p, i) => expectClose(p, expected[i], 1e-12, 1e-10, `param ${i}`));
  });
});

describe('RWP', () => {
  test('with no example under the loss threshold there is no perturbation: a plain step', () => {
    const [a, b] = [toyRegression(), toyRegression()];
    new RWP(a.params, SGD, { lr: 0.1, lossThreshold: 0 }).step(a.perSample);
    const sgd = new SGD(b.params, { lr: 0.1 });
    b.loss().backward();
    sgd.step();
    a.params.forEach((p, i) => expectClose(p, values(b.params[i]), 1e-15, 1e-13));
  });

  test('one ascent step with every example counted: γ·‖w‖·∇mean(l)/‖∇mean(l)‖, one global scale', () => {
    const t = toyRegression();
    const rwp = new RWP(t.params, SGD, { lr: 0.1, gamma: 0.02, ascentSteps: 1, lossThreshold: 1e9 });
    const offsets = rwp.perturbationFor(t.perSample).map(values);
    const g = gradsAt(t.loss, [t.params[0], t.params[2]]);
    const gn = Math.hypot(...g.flatMap((x) => x!));
    const wn = Math.hypot(...values(t.params[0]), ...values(t.params[2]));
    expectClose(offsets.flat(), g.flatMap((x) => x!).map((x) => (0.02 * wn * x) / gn), 1e-14, 1e-10);
  });

  test('more ascent steps only count examples still below the threshold', () => {
    const t = toyRegression();
    const rwp = new RWP(t.params, SGD, { lr: 0.1, gamma: 0.02, ascentSteps: 5, lossThreshold: 0.05 });
    const offsets = rwp.perturbationFor(t.perSample);
    const wn = Math.hypot(...values(t.params[0]), ...values(t.params[2]));
    expectClose([Math.hypot(...offsets.flatMap(values))], [0.02 * wn], 1e-14, 1e-10, '‖γd̂‖ = γ‖w‖');
  });
});
