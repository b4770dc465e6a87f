/**
 * Every optimizer, wrapper and utility driven the way it is meant to be (closures, per-loss
 * gradients, schedules) on the toy regression of toy.ts: each entry builds its optimizer and
 * returns one training step. optim's convergence.test.ts checks that each reduces the loss; memory.test.ts that each holds
 * the live-buffer count flat inside tidy; runOptimSuite (suite.ts) runs them on any backend.
 */
import {
  Adafactor, Adagrad, Adam, AdamW, AWP, ConFIG, DGSAM, DOT, EMA, GSAM, ImbSAM, LinearLR, MultiAdam, OneCycleLR, PCNGD, PerpGrad,
  RWP, SAM, SGD, SGLD, SignSGD, WarmupStableDecayLR, clipGradNorm, lossGradients, stabilityPlasticityDecay,
} from '../index.js';
import type { toyRegression } from './toy.js';

export type Toy = ReturnType<typeof toyRegression>;
/** Steps of the convergence checks (also the schedules' length). */
export const STEPS = 100;
const closure = (t: Toy) => () => { const l = t.loss(); l.backward(); return l; };
const halves = (t: Toy) => { const e = t.perSample(); return [e.narrow(0, 0, 12).mean(), e.narrow(0, 12, 12).mean()]; };

/** Each entry builds its optimizer and returns one training step. */
export const procedures: Record<string, (t: Toy) => () => void> = {
  SGD: (t) => { const o = new SGD(t.params, { lr: 0.1, momentum: 0.9 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  Adam: (t) => { const o = new Adam(t.params, { lr: 0.02 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  AdamW: (t) => { const o = new AdamW(t.params, { lr: 0.02, weightDecay: 0.1 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  'AdamW, independent decay + warm-up': (t) => {
    const o = new AdamW(t.params, { lr: 0.02, weightDecay: 1e-4, weightDecayMode: 'independent' });
    const s = new LinearLR(o, { startFactor: 0.1, totalIters: 10 });
    return () => { o.zeroGrad(); t.loss().backward(); o.step(); s.step(); };
  },
  Adagrad: (t) => { const o = new Adagrad(t.params, { lr: 0.1 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  Adafactor: (t) => { const o = new Adafactor(t.params, { beta1: 0.9, relativeStep: false, lr: 0.01 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  'sign descent': (t) => { const o = new SignSGD(t.params, { lr: 0.005 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  signum: (t) => { const o = new SignSGD(t.params, { lr: 0.005, momentum: 0.9 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  'SGLD (T = 1e-6)': (t) => { const o = new SGLD(t.params, { lr: 0.05, temperature: 1e-6 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  'SGD + clipGradNorm': (t) => { const o = new SGD(t.params, { lr: 0.1, momentum: 0.9 }); return () => { o.zeroGrad(); t.loss().backward(); clipGradNorm(t.params, 0.1); o.step(); }; },
  'SGD + WSD': (t) => {
    const o = new SGD(t.params, { lr: 0.2, momentum: 0.9 });
    const s = new WarmupStableDecayLR(o, { totalSteps: STEPS, warmupSteps: 10 });
    return () => { o.zeroGrad(); t.loss().backward(); o.step(); s.step(); };
  },
  'SGD + one-cycle': (t) => {
    const o = new SGD(t.params, { lr: 0.1, momentum: 0.9 });
    const s = new OneCycleLR(o, { maxLr: 0.3, totalSteps: STEPS });
    return () => { o.zeroGrad(); t.loss().backward(); o.step(); s.step(); };
  },
  'SAM(SGD)': (t) => { const o = new SAM(t.params, SGD, { lr: 0.1, momentum: 0.9, rho: 0.05 }); return () => { o.zeroGrad(); o.step(closure(t)); }; },
  'ASAM(SGD)': (t) => { const o = new SAM(t.params, SGD, { lr: 0.1, momentum: 0.9, rho: 0.5, adaptive: true }); return () => { o.zeroGrad(); o.step(closure(t)); }; },
  'GSAM(SGD)': (t) => { const o = new GSAM(t.params, SGD, { lr: 0.1, momentum: 0.9 }); return () => { o.zeroGrad(); o.step(closure(t)); }; },
  'DGSAM(Adam)': (t) => { const o = new DGSAM(t.params, Adam, { lr: 0.02, gapWeight: 0.5 }); return () => { o.zeroGrad(); o.step(closure(t)); }; },
  'ImbSAM(SGD)': (t) => {
    const o = new ImbSAM(t.params, SGD, { lr: 0.1, momentum: 0.9 });
    return () => o.step(() => { const e = t.perSample(); return { head: e.narrow(0, 0, 18).sum().div(24), tail: e.narrow(0, 18, 6).sum().div(24) }; });
  },
  'AWP(SGD)': (t) => { const o = new AWP(t.params, SGD, { lr: 0.1, momentum: 0.9 }); return () => { o.step(t.loss); }; },
  'RWP(SGD)': (t) => { const o = new RWP(t.params, SGD, { lr: 0.1, momentum: 0.9, ascentSteps: 2, lossThreshold: 0.5 }); return () => { o.step(t.perSample); }; },
  'PerpGrad(Adam)': (t) => { const o = new PerpGrad(t.params, Adam, { lr: 0.02 }); return () => { o.zeroGrad(); t.loss().backward(); o.step(); }; },
  MultiAdam: (t) => { const o = new MultiAdam(t.params, { lr: 0.02 }); return () => o.step(lossGradients(halves(t), t.params)); },
  DOT: (t) => { const o = new DOT(t.params, { lr: 0.05 }); return () => { const [a, b] = lossGradients(halves(t), t.params); o.step(a, b); }; },
  'PCNGD(SGD)': (t) => { const o = new PCNGD(t.params, SGD, { lr: 0.02, momentum: 0.9 }); return () => o.step(lossGradients(halves(t), t.params)); },
  'ConFIG(Adam)': (t) => { const o = new ConFIG(t.params, Adam, { lr: 0.02 }); return () => o.step(lossGradients(halves(t), t.params)); },
};

/** An SGD run with an EMA of its weights (fixed or adaptive decay): the step, and the loss at the averaged weights. */
export function emaRun(t: Toy, decay: 'fixed' | 'adaptive'): { step: () => void; averagedLoss: () => number } {
  const opt = new SGD(t.params, { lr: 0.1, momentum: 0.9 });
  const ema = new EMA(t.params, { decay: decay === 'fixed' ? 0.9 : stabilityPlasticityDecay({ minDecay: 0.5, maxDecay: 0.99 }) });
  return {
    step: () => { opt.zeroGrad(); t.loss().backward(); opt.step(); ema.update(); },
    averagedLoss: () => ema.withAveraged(() => t.loss().item()),
  };
}
