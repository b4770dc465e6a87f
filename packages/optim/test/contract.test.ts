/**
 * Options are contracts (issue 9): every optimizer rejects unknown option names with "did you
 * mean", re-checks group options edited after construction at step(), validates loadStateDict
 * (keys, shapes, values, another optimizer's state) before changing anything, rejects a `.grad` of
 * the wrong shape, and a weight-perturbation step never leaves the weights perturbed when its
 * closure throws or produces no gradients.
 */
import { describe, expect, test } from 'vitest';
import { ArgumentError, AutogradError, ShapeError, type Tensor } from '@graft/core';
import { Adam, AWP, DGSAM, GSAM, ImbSAM, LambdaLR, RWP, SAM, SGD, SGLD, SignSGD, Adagrad, Adafactor, MultiAdam, DOT } from '../src/index.js';
import { param, setGrads, values } from './helpers.js';

const w = () => param([1, 2, 3]);

describe('unknown options name the closest declared ones', () => {
  const cases: [string, () => unknown, string][] = [
    ['SGD momentun', () => new SGD([w()], { lr: 0.1, momentun: 0.9 } as never), "SGD: unknown option 'momentun' (did you mean 'momentum'?)"],
    ['SGD snake_case', () => new SGD([w()], { weight_decay: 0.1 } as never), "SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?)"],
    ['Adam beta', () => new Adam([w()], { beta: [0.9, 0.99] } as never), "Adam: unknown option 'beta' (did you mean 'betas'?)"],
    ['Adagrad', () => new Adagrad([w()], { lrDecay: 0, eps2: 1 } as never), "Adagrad: unknown option 'eps2' (did you mean 'eps'?)"],
    ['Adafactor', () => new Adafactor([w()], { lrr: 1 } as never), "Adafactor: unknown option 'lrr' (did you mean 'lr'?)"],
    ['SignSGD', () => new SignSGD([w()], { momentun: 0.9 } as never), "SignSGD: unknown option 'momentun' (did you mean 'momentum'?)"],
    ['SGLD', () => new SGLD([w()], { lr: 0.1, temperatur: 1 } as never), "SGLD: unknown option 'temperatur'"],
    ['MultiAdam', () => new MultiAdam([w()], { betas: [0.9, 0.99], epss: 1 } as never), "MultiAdam: unknown option 'epss' (did you mean 'eps'?)"],
    ['DOT', () => new DOT([w()], { lr: 0.1, deltaa: 0.1 } as never), "DOT: unknown option 'deltaa' (did you mean 'delta'?)"],
    ['SAM rhoo', () => new SAM([w()], SGD, { lr: 0.1, rhoo: 0.1 } as never), "SAM: unknown option 'rhoo' (did you mean 'rho'?)"],
    ['SAM base option', () => new SAM([w()], SGD, { lr: 0.1, momentun: 0.9 } as never), "SAM: unknown option 'momentun' (did you mean 'momentum'?)"],
    ['GSAM alpah', () => new GSAM([w()], SGD, { lr: 0.1, alpah: 0.1 } as never), "GSAM: unknown option 'alpah' (did you mean 'alpha'?)"],
    ['ImbSAM', () => new ImbSAM([w()], SGD, { lr: 0.1, rhp: 0.1 } as never), "ImbSAM: unknown option 'rhp' (did you mean 'rho'?)"],
    ['AWP', () => new AWP([w()], SGD, { lr: 0.1, gama: 0.1 } as never), "AWP: unknown option 'gama' (did you mean 'gamma'?)"],
    ['a group', () => new SGD([{ params: [w()], momentun: 0.9 }], { lr: 0.1 }), "SGD: unknown option in parameter group 0 'momentun' (did you mean 'momentum'?)"],
    ['a SAM group', () => new SAM([{ params: [w()], rhoo: 0.1 }], SGD, { lr: 0.1 }), "SAM: unknown option in parameter group 0 'rhoo' (did you mean 'rho'?)"],
  ];
  test.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(ArgumentError);
    expect(make).toThrow(message);
  });

  test('a SAM group may carry rho, and a GSAM group alpha', () => {
    expect(() => new SAM([{ params: [w()], rho: 0.1 }], SGD, { lr: 0.1 })).not.toThrow();
    expect(() => new GSAM([{ params: [w()], alpha: 0.2 }], SGD, { lr: 0.1 })).not.toThrow();
  });
});

describe('group options edited after construction are checked at step()', () => {
  const stepWith = (edit: (g: Record<string, unknown>) => void, make: (p: Tensor) => { paramGroups: Record<string, unknown>[]; step: () => unknown } = (p) => new SGD([p], { lr: 0.1 })) => {
    const p = w();
    const opt = make(p);
    edit(opt.paramGroups[0]);
    setGrads([p], [[1, 1, 1]]);
    expect(() => opt.step()).toThrow(ArgumentError);
    expect(values(p)).toEqual([1, 2, 3]); // nothing was updated
    return () => opt.step();
  };
  test('lr = NaN', () => {
    expect(stepWith((g) => { g.lr = NaN; })).toThrow("SGD.step: parameter group 0: lr must be a non-negative number, got NaN (changed after construction?)");
  });
  test('betas = [1, 1]', () => {
    expect(stepWith((g) => { g.betas = [1, 1]; }, (p) => new Adam([p]))).toThrow("Adam.step: parameter group 0: betas[0] must be in [0, 1), got 1");
  });
  test('momentum = -1 on SGD', () => {
    expect(stepWith((g) => { g.momentum = -1; })).toThrow('SGD.step: parameter group 0: momentum must be a non-negative number, got -1');
  });
  test.each([[-1], [NaN]])('a scheduler returning %s', (factor) => {
    const p = w();
    const opt = new SGD([p], { lr: 0.1 });
    const sched = new LambdaLR(opt, (t: number) => (t === 0 ? 1 : factor));
    sched.step();
    setGrads([p], [[1, 1, 1]]);
    expect(() => opt.step()).toThrow(/^SGD\.step: parameter group 0: lr must be a non-negative number/);
    expect(values(p)).toEqual([1, 2, 3]);
  });
  test('a schedule may reach lr = 0 (PyTorch allows lr ≥ 0)', () => {
    const p = w();
    const opt = new SGD([p], { lr: 0.1 });
    opt.paramGroups[0].lr = 0;
    setGrads([p], [[1, 1, 1]]);
    opt.step();
    expect(values(p)).toEqual([1, 2, 3]);
  });
  test('SAM rho edited to NaN', () => {
    const p = w();
    const sam = new SAM([p], SGD, { lr: 0.1 });
    sam.paramGroups[0].rho = NaN;
    expect(() => sam.step(() => { const l = p.square().sum(); l.backward(); return l; })).toThrow('SAM: rho must be a non-negative number, got NaN');
    expect(values(p)).toEqual([1, 2, 3]);
  });
});

describe('loadStateDict checks before it changes anything', () => {
  const trained = <O extends SGD | Adam>(make: (p: Tensor) => O) => {
    const p = w();
    const opt = make(p);
    setGrads([p], [[0.1, -0.2, 0.3]]);
    opt.step();
    return { p, opt, sd: opt.stateDict() };
  };
  const cases: [string, () => unknown, RegExp][] = [
    ['state from another optimizer class', () => trained((p) => new SGD([p], { lr: 0.1, momentum: 0.9 })).opt.loadStateDict(trained((p) => new Adam([p])).sd),
      /^SGD\.loadStateDict: unknown option in parameter group 0 \(a state dict from another optimizer\?\) 'betas'/],
    ['a missing step', () => {
      const { opt, sd } = trained((p) => new Adam([p]));
      delete sd.state['0'].step;
      opt.loadStateDict(sd);
    }, /^Adam\.loadStateDict: state of parameter 0: missing 'step'/],
    ['a [1]-shaped expAvg for a [3] parameter', () => {
      const { opt, sd } = trained((p) => new Adam([p]));
      sd.state['0'].expAvg = [0.5];
      opt.loadStateDict(sd);
    }, /^Adam\.loadStateDict: state of parameter 0: 'expAvg' has shape \[1\], expected \[3\]$/],
    ['a string in a state tensor', () => {
      const { opt, sd } = trained((p) => new Adam([p]));
      sd.state['0'].expAvgSq = [0.5, 'x', 1];
      opt.loadStateDict(sd);
    }, /^Adam\.loadStateDict: state of parameter 0: 'expAvgSq' must be a nested array of finite numbers, found a string entry$/],
    ['a fractional step', () => {
      const { opt, sd } = trained((p) => new Adam([p]));
      sd.state['0'].step = 1.5;
      opt.loadStateDict(sd);
    }, /^Adam\.loadStateDict: state of parameter 0: 'step' must be a finite number \(a non-negative integer\), got 1\.5$/],
    ['an out-of-range option value', () => {
      const { opt, sd } = trained((p) => new Adam([p]));
      sd.paramGroups[0].betas = [0.9, 1];
      opt.loadStateDict(sd);
    }, /^Adam\.loadStateDict: parameter group 0: betas\[1\] must be in \[0, 1\), got 1$/],
    ['state for a parameter that does not exist', () => {
      const { opt, sd } = trained((p) => new SGD([p], { lr: 0.1, momentum: 0.9 }));
      sd.state['3'] = sd.state['0'];
      opt.loadStateDict(sd);
    }, /^SGD\.loadStateDict: state for parameter '3', but there are 1 parameters/],
  ];
  test.each(cases)('%s', (_name, load, message) => {
    expect(load).toThrow(ArgumentError);
    expect(load).toThrow(message);
  });

  test('a failed load leaves the optimizer as it was', () => {
    const { opt, sd } = trained((p) => new Adam([p], { lr: 0.01 }));
    const before = JSON.stringify(opt.stateDict());
    const bad = JSON.parse(before);
    bad.paramGroups[0].lr = 0.5;
    bad.state['0'].expAvg = [1];
    expect(() => opt.loadStateDict(bad)).toThrow(ArgumentError);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
    opt.loadStateDict(sd); // its own state dict still loads
  });
});

test('a .grad of the wrong shape is an error, not a broadcast', () => {
  const p = w();
  const opt = new SGD([p], { lr: 0.1 });
  // A [1, 3] gradient would broadcast against [3]. Core's grad setter may reject it already (issue 8);
  // otherwise step() must: either way a ShapeError, and the parameter untouched.
  let error: unknown;
  try {
    setGrads([p], [[[1, 1, 1]]]);
    opt.step();
  } catch (e) { error = e; }
  expect(error).toBeInstanceOf(ShapeError);
  expect((error as Error).message).toMatch(/^(SGD\.step: parameter 0 has shape \[3\] but its \.grad has shape \[1, 3\]|grad: )/);
  expect(values(p)).toEqual([1, 2, 3]);
});

describe('a perturbation step restores the weights when its closure fails', () => {
  const matrix = () => param([[1, 2], [3, 4]]);
  const lossOf = (p: Tensor) => p.square().sum();
  const boom = () => { throw new Error('boom'); };

  /** A loss closure that calls backward (the SAM family's contract) until call `failAt`, where it throws, or forgets backward. */
  const closureFailingAt = (p: Tensor, failAt: number, how: 'throw' | 'no backward') => {
    let calls = 0;
    return () => {
      calls++;
      const l = lossOf(p);
      if (calls < failAt) l.backward();
      else if (how === 'throw') boom();
      return l;
    };
  };
  /** A loss function for AWP and RWP (they call backward themselves) that throws on call `failAt`. */
  const lossFailingAt = (p: Tensor, failAt: number) => {
    let calls = 0;
    return () => (++calls >= failAt ? boom() : lossOf(p));
  };

  const samFamily: [string, (p: Tensor, closure: () => Tensor) => unknown][] = [
    ['SAM', (p, closure) => new SAM([p], SGD, { lr: 0.1 }).step(closure)],
    ['GSAM', (p, closure) => new GSAM([p], SGD, { lr: 0.1 }).step(closure)],
    ['DGSAM', (p, closure) => new DGSAM([p], SGD, { lr: 0.1 }).step(closure)],
  ];
  test.each(samFamily)('%s: a closure that throws at w + e', (_name, step) => {
    const p = matrix();
    expect(() => step(p, closureFailingAt(p, 2, 'throw'))).toThrow('boom');
    expect(values(p)).toEqual([1, 2, 3, 4]);
  });
  test.each(samFamily)('%s: a closure that produces no gradients at w + e', (_name, step) => {
    const p = matrix();
    expect(() => step(p, closureFailingAt(p, 2, 'no backward'))).toThrow(/^\w+: the closure \(at w \+ e\) produced no gradients/);
    expect(values(p)).toEqual([1, 2, 3, 4]);
  });
  test.each(samFamily)('%s: a closure that produces no gradients at w', (_name, step) => {
    const p = matrix();
    expect(() => step(p, closureFailingAt(p, 1, 'no backward'))).toThrow(AutogradError);
    expect(values(p)).toEqual([1, 2, 3, 4]);
  });
  test('AWP: a loss that throws at w + γv', () => {
    const p = matrix();
    expect(() => new AWP([p], SGD, { lr: 0.1 }).step(lossFailingAt(p, 1), () => lossOf(p))).toThrow('boom');
    expect(values(p)).toEqual([1, 2, 3, 4]);
  });
  test.each([[1], [2]])('RWP: a loss that throws on call %i (an ascent step, then at w + γd̂)', (failAt) => {
    const p = matrix();
    expect(() => new RWP([p], SGD, { lr: 0.1, ascentSteps: 1 }).step(lossFailingAt(p, failAt))).toThrow('boom');
    expect(values(p)).toEqual([1, 2, 3, 4]);
  });

  test('ImbSAM: a loss function that throws at w + e', () => {
    const p = matrix();
    let calls = 0;
    const imb = new ImbSAM([p], SGD, { lr: 0.1 });
    const lossFn = () => {
      calls++;
      if (calls > 1) boom();
      return { head: lossOf(p), tail: lossOf(p).mul(2) };
    };
    expect(() => imb.step(lossFn)).toThrow('boom');
    expect(values(p)).toEqual([1, 2, 3, 4]);
  });
});
