/**
 * The PyTorch trajectory fixtures (tools/gen_optim_fixtures.py), the two problems they run on,
 * written again in graft ops (a 3-6-2 tanh MLP with mean squared error, and Rosenbrock's
 * function), and the run and the float32 check of the trajectory suite (suite.ts: runOptimSuite).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { tensor, tidy, type DType, type NestedArray, type Tensor } from '@graft/core';
import { allclose } from '@graft/core/testing';
import {
  Adagrad, Adam, AdamW, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, SAM, SGD, StepLR,
  type LRScheduler, type Optimizer, type OptimizerClass, type OptimizerLike, type ParamGroupSpec,
} from '../index.js';

export interface FixtureCase {
  name: string;
  problem: 'mlp' | 'rosenbrock';
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'Adagrad';
  options: Record<string, unknown>;
  groups?: ({ params: string[] } & Record<string, unknown>)[];
  scheduler?: { type: string; options: Record<string, unknown> };
  sam?: { rho: number; adaptive?: boolean };
  negateLoss?: boolean;
  losses: number[];
  after1: Record<string, NestedArray>;
  final: Record<string, NestedArray>;
  final32: Record<string, NestedArray>;
}

export interface FixtureFile {
  torch: string;
  steps: number;
  problems: { mlp: { data: { x: NestedArray; y: NestedArray }; init: Record<string, NestedArray> }; rosenbrock: { init: Record<string, NestedArray> } };
  cases: FixtureCase[];
}

export const fixtureFamilies = ['sgd', 'adam', 'adagrad', 'schedulers', 'sam'] as const;

export function loadFixtures(family: (typeof fixtureFamilies)[number]): FixtureFile {
  return JSON.parse(readFileSync(new URL(`../../test/fixtures/${family}.json`, import.meta.url), 'utf8')) as FixtureFile;
}

/** Fresh leaf parameters at the fixture's initial values, by name (on `backend`, default: the default backend). */
export function initialParams(file: FixtureFile, problem: FixtureCase['problem'], dtype: DType, backend?: string): Record<string, Tensor> {
  const init = file.problems[problem].init;
  return Object.fromEntries(Object.entries(init).map(([k, v]) => [k, tensor(v, { dtype, backend, requiresGrad: true })]));
}

/** The problem's loss as a function of its parameters (its data on `backend`). */
export function problemLoss(file: FixtureFile, problem: FixtureCase['problem'], dtype: DType, backend?: string): (p: Record<string, Tensor>) => Tensor {
  if (problem === 'mlp') {
    const x = tensor(file.problems.mlp.data.x, { dtype, backend });
    const y = tensor(file.problems.mlp.data.y, { dtype, backend });
    return (p) => x.matmul(p.w1.T).add(p.b1).tanh().matmul(p.w2.T).add(p.b2).sub(y).square().mean();
  }
  return (p) => {
    const a = p.xy.narrow(0, 0, 1);
    const b = p.xy.narrow(0, 1, 1);
    return a.neg().add(1).square().add(b.sub(a.square()).square().mul(100)).sum();
  };
}

const optimizers = { SGD, Adam, AdamW, Adagrad };
const schedulers: Record<string, new (o: OptimizerLike, opts: never) => LRScheduler> = {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR,
};

export interface RunOptions {
  dtype: DType;
  /** Where parameters and data live (default: the default backend). */
  backend?: string;
  steps?: number;
  /** Run each step (zeroGrad, loss, backward, step, scheduler step) inside `tidy`. */
  tidy?: boolean;
  /** Called after each step, outside its tidy (e.g. to count live buffers). */
  afterStep?: (i: number) => void;
}

/** Runs one fixture case: parameters after step 1 and at the end, and the loss before each step. */
export function runCase(file: FixtureFile, c: FixtureCase, { dtype, backend, steps = file.steps, tidy: inTidy = false, afterStep }: RunOptions) {
  const params = initialParams(file, c.problem, dtype, backend);
  const f = problemLoss(file, c.problem, dtype, backend);
  const loss = () => (c.negateLoss ? f(params).neg() : f(params));
  const spec = c.groups
    ? c.groups.map(({ params: names, ...opts }) => ({ params: names.map((n) => params[n]), ...opts }) as ParamGroupSpec<object>)
    : Object.values(params);
  const Opt = optimizers[c.optimizer] as OptimizerClass<Optimizer, Record<string, unknown>>;
  const opt = c.sam ? new SAM(spec, Opt, { ...c.options, ...c.sam }) : new Opt(spec, c.options);
  const sched = c.scheduler ? new schedulers[c.scheduler.type](opt, c.scheduler.options as never) : null;
  const losses: number[] = [];
  let after1: Record<string, Tensor> = {};
  const step = () => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    losses.push(l.item());
    if (opt instanceof SAM) opt.step(() => { const l2 = loss(); l2.backward(); return l2; });
    else opt.step();
    sched?.step();
  };
  for (let i = 0; i < steps; i++) {
    if (inTidy) tidy(step);
    else step();
    if (i === 0) after1 = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.clone()]));
    afterStep?.(i);
  }
  return { params, after1, losses, opt };
}

export const flat = (v: NestedArray): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
export const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

/** allclose of a tensor against fixture values (failing with the worst entry); returns the worst |Δ|/(|w| + 1e-3). */
export function expectClose(label: string, actual: Tensor, expected: NestedArray, atol: number, rtol: number): number {
  const want = flat(expected);
  const got = Array.from(actual.data());
  const r = allclose(got, want, { atol, rtol });
  expect(r.ok, `${label}: ${r.message}`).toBe(true);
  return Math.max(...got.map((g, i) => Math.abs(g - want[i]) / (Math.abs(want[i]) + 1e-3)));
}

/**
 * The float32 check: every final parameter within 1e-5 + 10× how far torch's own float32 run
 * drifted from its float64 run (per parameter tensor), plus 1e-4 relative, of torch's float64
 * result. Returns the worst relative deviation, graft's worst |Δ| and torch's own worst drift.
 */
export function expectFloat32Final(c: FixtureCase, steps: number, params: Record<string, Tensor>): { worst: number; graftAbs: number; torchAbs: number } {
  let [worst, graftAbs, torchAbs] = [0, 0, 0];
  for (const [k, v] of Object.entries(params)) {
    const drift = maxAbsDiff(flat(c.final[k]), flat(c.final32[k]));
    torchAbs = Math.max(torchAbs, drift);
    graftAbs = Math.max(graftAbs, maxAbsDiff(Array.from(v.data()), flat(c.final[k])));
    worst = Math.max(worst, expectClose(`${c.name} after ${steps} steps, ${k}`, v, c.final[k], 1e-5 + 10 * drift, 1e-4));
  }
  return { worst, graftAbs, torchAbs };
}
