/**
 * The optimizer suite, exported as `runOptimSuite(backend)` from @graft/optim/testing. Called at
 * the top level of a vitest file, it defines for the registered backend `backend`:
 *  1. PyTorch trajectories: every fixture case runs 50 steps and must land on torch's float64
 *     parameters. float64 (backends that store it): the losses of all steps within 1e-9 relative,
 *     the parameters after step 1 within 1e-12 and after step 50 within 1e-12 + 1e-10 relative.
 *     float32, each step inside `tidy`: within 1e-5 + 10× how far torch's own float32 run drifted
 *     from its float64 run, plus 1e-4 relative (fixtures.ts: expectFloat32Final).
 *  2. Convergence in float32 of the procedures the fixtures do not cover (procedures.ts), each step
 *     inside `tidy`: the toy regression's loss below half in 30 steps (Adafactor, whose relative
 *     steps start small: 60).
 * With `liveBuffers` (the backend's live-storage count), every float32 run must hold it flat from
 * the second step on.
 */
import { describe, expect, test } from 'vitest';
import { getBackend, tidy } from '@graft/core';
import { expectClose, expectFloat32Final, type FixtureCase, fixtureFamilies, loadFixtures, runCase } from './fixtures.js';
import { emaRun, procedures } from './procedures.js';
import { toyRegression } from './toy.js';

export interface OptimSuiteOptions {
  /** Which fixture cases run (default: all). */
  cases?: (c: FixtureCase) => boolean;
  /** The backend's count of live storage buffers: float32 runs must hold it flat from the second step on. */
  liveBuffers?: () => number;
}

/** Procedures whose algorithm the fixtures already check against PyTorch. */
const coveredByFixtures = new Set(['SGD', 'Adam', 'AdamW', 'Adagrad', 'SGD + one-cycle', 'SAM(SGD)', 'ASAM(SGD)']);

const flatFromStep2 = (counts: number[], what: string) => expect([...new Set(counts.slice(1))], what).toEqual([counts[1]]);

export function runOptimSuite(backend: string, options: OptimSuiteOptions = {}): void {
  const { cases = () => true, liveBuffers } = options;
  const float64 = getBackend(backend).dtypes.includes('float64');

  for (const family of fixtureFamilies) {
    const file = loadFixtures(family);
    describe(`${family} matches PyTorch ${file.torch}`, () => {
      for (const c of file.cases.filter(cases)) {
        test.skipIf(!float64)(`${c.name} float64`, () => {
          const run = runCase(file, c, { dtype: 'float64', backend });
          run.losses.forEach((l, i) => expect(Math.abs(l - c.losses[i])).toBeLessThanOrEqual(1e-10 + 1e-9 * Math.abs(c.losses[i])));
          for (const [k, v] of Object.entries(run.params)) {
            expectClose(`${c.name} after 1 step, ${k}`, run.after1[k], c.after1[k], 1e-13, 1e-12);
            expectClose(`${c.name} after ${file.steps} steps, ${k}`, v, c.final[k], 1e-12, 1e-10);
          }
        });
        test(`${c.name} float32, each step inside tidy`, () => {
          const counts: number[] = [];
          const run = runCase(file, c, { dtype: 'float32', backend, tidy: true, afterStep: () => { if (liveBuffers) counts.push(liveBuffers()); } });
          expectFloat32Final(c, file.steps, run.params);
          if (liveBuffers) flatFromStep2(counts, 'live buffers after steps 2..50');
        });
      }
    });
  }

  describe('convergence in float32 of the procedures the fixtures do not cover, each step inside tidy', () => {
    const runs: Record<string, (t: ReturnType<typeof toyRegression>) => { step: () => void; loss: () => number }> = {
      ...Object.fromEntries(Object.entries(procedures).filter(([name]) => !coveredByFixtures.has(name)).map(([name, make]) => [name, (t: ReturnType<typeof toyRegression>) => {
        const step = make(t);
        return { step, loss: () => t.loss().item() };
      }])),
      'EMA(adaptive) of SGD': (t) => { const r = emaRun(t, 'adaptive'); return { step: r.step, loss: r.averagedLoss }; },
    };
    test.each(Object.entries(runs))('%s', (name, make) => {
      const t = toyRegression('float32', backend);
      const run = make(t);
      const first = tidy(() => t.loss().item());
      const steps = name === 'Adafactor' ? 60 : 30;
      const counts: number[] = [];
      for (let i = 0; i < steps; i++) {
        tidy(() => { run.step(); });
        if (liveBuffers) counts.push(liveBuffers());
      }
      const last = tidy(run.loss);
      expect(last).toBeLessThan(0.5 * first);
      if (liveBuffers) flatFromStep2(counts, 'live buffers after steps 2..');
    });
  });
}
