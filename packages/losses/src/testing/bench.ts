/**
 * The generic loss bench, exported as `runLossBench(backend)` from @graft/losses/testing and
 * driven by each entry's spec alone (its argument specs, declared options and escape flags).
 * Called at the top level of a vitest file, it defines, for every registry entry on `backend`:
 *  1. finite value and gradients on valid inputs, in every float dtype the backend stores
 *     (float64 and the default float32), and again at C = 1, at a batch of 1, with each numeric
 *     option at the edges of its declared range, and at logits of ±1e4 / probabilities of 0 and 1;
 *  2. float32 agrees with float64 on the same draws (the float32 inputs are the float64 ones
 *     rounded): value and the gradients of Σ(out · w) (float64 on the backend itself, else on the
 *     peer backend);
 *  3. float64 gradcheck (backends that store float64);
 *  4. reductions 'none', 'sum' and 'mean' agree;
 *  5. a wrong shape, a label out of range and a wrong dtype raise a GraftError before any kernel of
 *     the loss runs: none at all for shapes and dtypes; for an out-of-range label exactly the kernels
 *     of the argument checks (one device reduction per checked argument, read back as one scalar).
 * An entry that cannot hold at one of these says why in its spec (nonDifferentiable,
 * notFiniteAtExtremes, needsTwoClasses, float64Only, meanIsNotMeanOfNone, notAtOptionEdges).
 */
import { describe, expect, test } from 'vitest';
import { type DType, Generator, getBackend, GraftError, grad, gradcheck, hasBackend, isFloat, type Tensor, tensor, tidy } from '@graft/core';
import { expectAllclose, type Tol } from '@graft/core/testing';
import { checkArgs } from '../args.js';
import type { LossEntry } from '../define.js';
import { registry } from '../registry.js';
import { sampleArgs, type SampleOptions } from '../samples.js';
import { optionEdges, usesSymbol } from './edges.js';
import { badInputCases, callEntry, spyBackend } from './helpers.js';

export interface BenchOptions {
  /** A backend storing float64 that float32 results are compared with when `backend` stores no float64 (default 'cpu'). */
  peer?: string;
  /** Live storage buffers of `backend`: when given, every test runs inside `tidy` and must leave the count where it was. */
  liveBuffers?: () => number;
  /** Entries to run (default: every registry entry). */
  entries?: readonly LossEntry[];
}

/**
 * float32 against float64 on the same draws: |a − e| ≤ 1e-4·|e| + 1e-5·max(1, ‖e‖∞). The difference is float32
 * rounding (u ≈ 6e-8) of the inputs and of a few dozen ops, amplified by the entry's conditioning: 1e-4 relative
 * leaves three orders of magnitude for that amplification; the absolute part is relative to the largest entry,
 * because an entry that is a cancelling sum carries the rounding of its terms, not of itself.
 */
const float32Tol = (expected: ArrayLike<number>): Tol => {
  let scale = 1;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  return { atol: 1e-5 * scale, rtol: 1e-4 };
};

const finite = (t: Tensor) => Array.from(t.data()).every(Number.isFinite);
const isFloatTensor = (x: Tensor | undefined): x is Tensor => !!x && isFloat(x.dtype);
const hasReduction = (e: LossEntry) => 'reduction' in e.defaults && (e.output === 'elementwise' || e.output === 'per-sample');

function caught(fn: () => unknown): Error {
  try { fn(); } catch (e) { return e as Error; }
  throw new Error('expected an error, none was thrown');
}

/** Samples moved to `backend` (float arguments in `dtype`). */
const samples = (entry: LossEntry, backend: string, opts: SampleOptions) => sampleArgs(entry.args, opts).map((x) => x?.to(backend));

function expectFiniteWithGrads(entry: LossEntry, xs: (Tensor | undefined)[], opts: Record<string, unknown> = {}) {
  const leaves = xs.filter(isFloatTensor).map((x) => x.requiresGrad_());
  const out = callEntry(entry, xs, opts);
  expect(finite(out), `${entry.id}: value ${out.toArray()}`).toBe(true);
  if (entry.nonDifferentiable || !out.requiresGrad) return;
  grad(out.sum(), leaves, { allowUnused: true }).forEach((g, i) => expect(!g || finite(g), `${entry.id}: gradient of float input ${i}`).toBe(true));
}

/** The cotangent w of Σ(out · w): fixed normal draws, one per output element. */
function cotangent(out: Tensor): Tensor {
  const g = new Generator(99);
  return tensor(Float64Array.from({ length: out.size }, () => g.normal()), { dtype: out.dtype, backend: out.backendName }).reshape(out.shape);
}

/** The value and the gradients of Σ(out · w) with respect to the float inputs. */
function valueAndGrads(entry: LossEntry, xs: readonly (Tensor | undefined)[]): { out: Tensor; grads: (Tensor | null)[] } {
  const leaves = xs.filter(isFloatTensor).map((x) => x.requiresGrad_());
  const out = callEntry(entry, xs);
  if (entry.nonDifferentiable || !out.requiresGrad) return { out, grads: [] };
  return { out, grads: grad(out.mul(cotangent(out)).sum(), leaves, { allowUnused: true }) };
}

export function runLossBench(backend: string, options: BenchOptions = {}): void {
  const { peer = 'cpu', liveBuffers } = options;
  const stored = getBackend(backend).dtypes;
  const dtypes = (['float64', 'float32'] as const).filter((d) => stored.includes(d));
  const reference = stored.includes('float64') ? backend : peer;
  const spy = spyBackend(backend);
  /** Runs a test body inside tidy when the backend's live buffers are counted, checking that none leaked. */
  const run = (body: () => void) => () => {
    if (!liveBuffers) { body(); return; }
    const before = liveBuffers();
    tidy(body);
    expect(liveBuffers(), 'live buffers left after the tidy').toBe(before);
  };
  const entries = options.entries ?? registry.list();

  describe.each(entries.map((e) => [e.id, e] as const))('%s', (_id, entry) => {
    const edges = optionEdges(entry).filter((e) => !entry.notAtOptionEdges?.[e.option]);
    describe.each(dtypes.map((d) => [d] as const))('%s', (dtype) => {
      const skip32 = dtype === 'float32' && !!entry.float64Only;
      const draw = (seed: number, more: SampleOptions = {}) => samples(entry, backend, { seed, dtype, ...more });

      test.skipIf(skip32)('value and gradients are finite', run(() => expectFiniteWithGrads(entry, draw(1))));
      test.skipIf(skip32 || !usesSymbol(entry, 'C') || !!entry.needsTwoClasses)('finite at C = 1', run(() => expectFiniteWithGrads(entry, draw(21, { sizes: { C: 1 } }))));
      test.skipIf(skip32 || !usesSymbol(entry, 'N'))('finite at a batch of 1', run(() => expectFiniteWithGrads(entry, draw(22, { sizes: { N: 1 } }))));
      test.skipIf(skip32 || !!entry.notFiniteAtExtremes)('finite at logits of ±1e4 and probabilities of 0 and 1', run(() => expectFiniteWithGrads(entry, draw(3, { extreme: true }))));
      if (edges.length && !skip32) {
        test.each(edges.map((e) => [e.label, e] as const))('finite at the option edge %s', (_label, e) => run(() => expectFiniteWithGrads(entry, draw(23), { [e.option]: e.value }))());
      }
      if (dtype === 'float32') test.skipIf(skip32 || !hasBackend(reference))('float32 agrees with float64 on the same draws', run(() => {
        // The same draws, in float32 and in float64: the difference is what float32 costs a caller, rounding of the
        // inputs (rows of a simplex sum to 1 only within float32's resolution) and of the arithmetic.
        const f32 = valueAndGrads(entry, draw(1));
        const f64 = valueAndGrads(entry, samples(entry, reference, { seed: 1, dtype: 'float64' }));
        const expected = (t: Tensor) => ({ shape: t.shape, data: t.data() });
        const tolOf = (t: Tensor): Tol => (isFloat(t.dtype) ? float32Tol(t.data()) : { atol: 0, rtol: 0 });
        expectAllclose(f32.out, expected(f64.out), tolOf(f64.out), `${entry.id}: value`);
        expect(f32.grads.length).toBe(f64.grads.length);
        f64.grads.forEach((g64, i) => {
          const g32 = f32.grads[i];
          expect(!!g32, `gradient of float input ${i} in both dtypes`).toBe(!!g64);
          if (g64 && g32) expectAllclose(g32, expected(g64), float32Tol(g64.data()), `${entry.id}: gradient of float input ${i}`);
        });
      }));
    });

    test.skipIf(!!entry.nonDifferentiable || !!entry.surrogateGradient || !dtypes.includes('float64'))('float64 gradcheck', run(() => {
      const xs = samples(entry, backend, { seed: 2 });
      // Arguments the definition holds constant (stopGradient) stay fixed: their gradient is zero by design. So do
      // discrete-valued float arguments ({0, 1}, ±1 labels, masks): a finite-difference step would leave their domain.
      const discrete = new Set(['binary', 'sign', 'multi-hot', 'mask']);
      const perturbed = (x: Tensor | undefined, i: number): x is Tensor =>
        !!x && isFloat(x.dtype) && !entry.args[i]?.stopGradient && !discrete.has(entry.args[i]?.domain);
      const leaves = xs.filter(perturbed).map((x) => x.requiresGrad_());
      const fn = (...ls: Tensor[]) => {
        let k = 0;
        return callEntry(entry, xs.map((x, i) => (perturbed(x, i) ? ls[k++] : x)));
      };
      const r = gradcheck(fn, leaves, { atol: 1e-5, rtol: 1e-3 });
      expect(r.ok, r.message).toBe(true);
    }));

    test.skipIf(!hasReduction(entry))("reductions 'none', 'sum' and 'mean' agree", run(() => {
      const dtype: DType = dtypes[0];
      // float64: 9 digits; float32: the sum of N·C float32 values, each within u of exact, agrees to ~5 digits.
      const digits = dtype === 'float64' ? 9 : 4;
      const xs = samples(entry, backend, { seed: 4, dtype });
      const none = callEntry(entry, xs, { reduction: 'none' });
      const first = xs[0]!;
      const n = first.shape[entry.batchDim ?? 0];
      expect(none.shape).toEqual(entry.output === 'elementwise' ? first.shape : none.shape.length ? [n, ...none.shape.slice(1)] : []);
      expect(callEntry(entry, xs, { reduction: 'sum' }).item()).toBeCloseTo(none.sum().item(), digits);
      if (!entry.meanIsNotMeanOfNone) expect(callEntry(entry, xs, { reduction: 'mean' }).item()).toBeCloseTo(none.mean().item(), digits);
    }));

    describe('bad input raises a GraftError before any kernel of the loss runs', () => {
      for (const c of badInputCases(entry)) {
        test.skipIf(!c.make)(c.name, run(() => {
          const xs = c.make!(dtypes[dtypes.length - 1]);
          const moved = xs.map((x) => x?.to(spy.name));
          spy.reset();
          const error = caught(() => callEntry(entry, moved));
          const kernels = spy.computeCalls();
          expect(error).toBeInstanceOf(GraftError);
          expect(error.message).toMatch(c.error);
          if (hasBackend(peer) && peer !== backend) {
            const onPeer = caught(() => callEntry(entry, xs.map((x) => x?.to(peer))));
            expect(onPeer.constructor, 'the same error class as on the peer backend').toBe(error.constructor);
            expect(onPeer.message, 'the same message as on the peer backend').toBe(error.message);
          }
          if (!c.domain) {
            expect(kernels, 'kernels run before a shape or dtype error').toBe(0);
            return;
          }
          // A value-domain error comes from the argument checks' device reductions: the call ran exactly
          // those kernels (the same count as the checks alone on the same inputs), none of the loss itself.
          spy.reset();
          const alone = caught(() => checkArgs(entry.fn.name, entry.args, moved, (entry.defaults as { ignoreIndex?: number }).ignoreIndex));
          expect(alone.message).toBe(error.message);
          expect(kernels, "kernels beyond the argument checks' own").toBe(spy.computeCalls());
        }));
      }
    });
  });
}
