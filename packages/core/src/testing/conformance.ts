/**
 * The backend conformance suite: what "a backend" means (docs/backends.md §6). Called at the top
 * level of a vitest file, `runConformance(name)` defines, for the registered backend `name`:
 *   a. every op-table fixture case vs PyTorch, values and gradients, in float64 and float32;
 *   b. the same cases on non-contiguous inputs (the results must be identical);
 *   c. float64 gradcheck of every differentiable case (second order where the row asks);
 *   d. fused vs composed softmax / logSoftmax / logsumexp;
 *   e. every primitive of both tiers vs the reference backend, on odd shapes and layouts, twice: the
 *      backend's accelerated ops, and core's compositions over its required tier alone;
 *   f. moving tensors to and from a peer backend ('cpu'), and the error for mixing backends.
 */
import { describe, expect, test } from 'vitest';
import { gradcheck } from '../autograd/gradcheck.js';
import { createReferenceBackend } from '../backend/reference.js';
import { getBackend, hasBackend, registerBackend } from '../backend/registry.js';
import { fromTyped } from '../creation.js';
import { type DType, isFloat } from '../dtype.js';
import { BackendError } from '../errors.js';
import { concat, where } from '../index.js';
import { useFusedKernels } from '../ops/reduce.js';
import { contiguousStrides, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { exact, expectAllclose, type Tol } from './allclose.js';
import { type FixtureTensor, type OpCase, fixtureTensor, loadOpFixtures } from './fixtures.js';
import { caseTolerance, type ConformanceTest, conformanceTests, findSkip, type OpName, opNames, type OpRow, opTable, rowOf } from './op-table.js';
import { primitiveChecks } from './primitives.js';

export interface ConformanceOptions {
  /** A second registered backend to move tensors to and from (default 'cpu'); skipped if it is the backend under test or missing. */
  peer?: string;
  /** Only these fixture cases (default: all). */
  cases?: (c: OpCase) => boolean;
}

type Layout = 'dense' | 'strided';

/**
 * The fixture's values behind a non-contiguous view: stored with the dims reversed, in the odd
 * slots of a twice-as-long buffer whose even slots hold garbage (NaN, -7 or true), then viewed back
 * (narrow → squeeze → permute). So the view has permuted, non-unit strides and offset 1.
 */
function stridedFixture(f: FixtureTensor, backend: string, floatDtype: DType): Tensor {
  const dtype = f.dtype === 'float64' ? floatDtype : f.dtype;
  const nd = f.shape.length;
  const rev = [...f.shape].reverse();
  const [strides, revStrides] = [contiguousStrides(f.shape), contiguousStrides(rev)];
  const store = new Array<number>(2 * numel(f.shape)).fill(isFloat(dtype) ? NaN : dtype === 'int32' ? -7 : 1);
  f.data.forEach((v, k) => {
    let r = 0;
    for (let d = 0; d < nd; d++) r += (Math.floor(k / strides[d]) % f.shape[d]) * revStrides[nd - 1 - d];
    store[2 * r + 1] = v;
  });
  const base = fromTyped(store, [...rev, 2], { dtype, backend });
  return base.narrow(-1, 1, 1).squeeze(-1).permute([...Array(nd).keys()].reverse());
}

interface CaseResult { out: Tensor; indices?: Tensor; grads?: (Tensor | null)[] }

/** Runs one fixture case through its op-table row: forward, indices, and backward of Σ out·cotangent. */
function runCase(row: OpRow, c: OpCase, backend: string, dtype: DType, layout: Layout, withGrad: boolean): CaseResult {
  const inputs = c.inputs.map((f, i) => {
    const t = layout === 'strided' ? stridedFixture(f, backend, dtype) : fixtureTensor(f, backend, dtype);
    return withGrad && c.grads?.[i] ? t.requiresGrad_() : t;
  });
  const out = row.fn(inputs, c.kwargs);
  const indices = row.indices && c.indices ? row.indices(inputs, c.kwargs) : undefined;
  if (!withGrad || !c.cotangent) return { out, indices };
  out.backward(fixtureTensor(c.cotangent, backend, dtype));
  return { out, indices, grads: inputs.map((x, i) => (c.grads![i] ? x.grad ?? x.zerosLike() : null)) };
}

const expected = (f: FixtureTensor, dtype: DType) => ({ ...f, dtype: f.dtype === 'float64' ? dtype : f.dtype });

/** Two results of one case must agree (exactly, or within tol). */
function expectSameResults(a: CaseResult, b: CaseResult, tol: Tol, what: string): void {
  const same = (x: Tensor, y: Tensor, label: string) =>
    expectAllclose(x, { shape: y.shape, data: y.data(), dtype: y.dtype }, isFloat(y.dtype) ? tol : exact, `${what}: ${label}`);
  same(a.out, b.out, 'output');
  if (a.indices && b.indices) same(a.indices, b.indices, 'indices');
  a.grads?.forEach((g, i) => { if (g && b.grads?.[i]) same(g, b.grads[i]!, `gradient of input ${i}`); });
}

const FUSED_OPS: readonly OpName[] = ['softmax', 'logSoftmax', 'logsumexp', 'softmaxCrossEntropy'];

export function runConformance(backendName: string, options: ConformanceOptions = {}): void {
  const backend = getBackend(backendName);
  const peer = options.peer ?? 'cpu';
  const cases = loadOpFixtures().filter(options.cases ?? (() => true));
  const floatDtypes = (['float64', 'float32'] as const).filter((d) => backend.dtypes.includes(d));
  const byOp = new Map<string, OpCase[]>();
  for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

  /** A test per (row, case): skipped, with its reason in the title, where the row says so. */
  const caseTest = (testName: ConformanceTest, op: string, c: OpCase, dtype: DType | undefined, title: string, body: () => void) => {
    const row = rowOf(op);
    const skip = row && findSkip(row, testName, backendName, dtype, c.name);
    if (skip) test.skip(`${title} [skipped: ${skip.reason}]`, () => {});
    else test(title, body);
  };

  describe(`conformance: backend '${backendName}'`, () => {
    describe('op table', () => {
      const hasCase = (op: string, name: string) => loadOpFixtures().some((c) => c.op === op && c.name === name);
      test('every skip gives a reason and names a known test and case', () => {
        for (const op of opNames) {
          const row = opTable[op];
          for (const s of row.skips ?? []) {
            expect(typeof s.reason === 'string' && s.reason.trim().length > 0, `${op}: a skip of '${s.test}' has no reason`).toBe(true);
            expect(conformanceTests, `${op}: unknown test '${s.test}'`).toContain(s.test);
            if (s.case !== undefined) expect(hasCase(op, s.case), `${op}: a skip names unknown case '${s.case}'`).toBe(true);
          }
          for (const name of Object.keys(row.caseTol ?? {})) expect(hasCase(op, name), `${op}: caseTol names unknown case '${name}'`).toBe(true);
        }
      });
      test('every fixture op has a row, and every row has fixture cases', () => {
        const fixtureOps = new Set(loadOpFixtures().map((c) => c.op));
        expect([...fixtureOps].filter((op) => !rowOf(op)), 'fixture ops without an op-table row').toEqual([]);
        expect(opNames.filter((op) => !fixtureOps.has(op) && !opTable[op].noFixtures?.trim()), 'op-table rows without fixtures (or a noFixtures reason)').toEqual([]);
        const names = loadOpFixtures().map((c) => c.name);
        expect(new Set(names).size, 'fixture case names are unique').toBe(names.length);
      });
    });

    describe('error inputs raise a named GraftError', () => {
      test('every error input has a title and a message pattern', () => {
        for (const op of opNames) {
          for (const e of opTable[op].errors ?? []) expect(e.name.trim().length > 0 && e.message instanceof RegExp, `${op}: malformed error input`).toBe(true);
        }
      });
      for (const op of opNames) {
        for (const e of opTable[op].errors ?? []) {
          test(`${op}: ${e.name}`, () => {
            let thrown: unknown;
            try { e.call(backendName); } catch (err) { thrown = err; }
            expect(thrown, `${op}: ${e.name} did not throw`).toBeInstanceOf(e.error);
            expect((thrown as Error).message).toMatch(e.message);
          });
        }
      }
    });

    for (const dtype of floatDtypes) {
      describe(`ops vs PyTorch (${dtype})`, () => {
        for (const [op, opCases] of byOp) {
          const row = rowOf(op);
          if (!row) continue; // reported by the op-table test
          describe(op, () => {
            for (const c of opCases) {
              const tol = caseTolerance(row, c.name, dtype);
              caseTest('forward', op, c, dtype, `${c.name} forward`, () => {
                const r = runCase(row, c, backendName, dtype, 'dense', false);
                expectAllclose(r.out, expected(c.output, dtype), tol, 'output');
                if (c.indices) expectAllclose(r.indices!, expected(c.indices, dtype), exact, 'indices');
              });
              if (!c.grads) continue;
              caseTest('backward', op, c, dtype, `${c.name} backward`, () => {
                const r = runCase(row, c, backendName, dtype, 'dense', true);
                c.grads!.forEach((g, i) => { if (g) expectAllclose(r.grads![i]!, expected(g, dtype), tol, `gradient of input ${i}`); });
              });
            }
          });
        }
      });
    }

    describe('non-contiguous inputs give identical results', () => {
      for (const [op, opCases] of byOp) {
        const row = rowOf(op);
        if (!row) continue;
        describe(op, () => {
          for (const c of opCases) {
            for (const dtype of floatDtypes) {
              caseTest('noncontiguous', op, c, dtype, `${c.name} ${dtype}`, () => {
                const dense = runCase(row, c, backendName, dtype, 'dense', true);
                const strided = runCase(row, c, backendName, dtype, 'strided', true);
                expectSameResults(strided, dense, exact, 'strided vs dense');
              });
            }
          }
        });
      }
    });

    describe('gradcheck (float64)', () => {
      if (!backend.dtypes.includes('float64')) {
        test.skip(`gradcheck [skipped: backend '${backendName}' has no float64; its float32 gradients are compared with PyTorch above]`, () => {});
        return;
      }
      for (const [op, opCases] of byOp) {
        const row = rowOf(op);
        if (!row?.differentiable) continue;
        describe(op, () => {
          for (const c of opCases.filter((k) => k.grads)) {
            const check = (secondOrder: boolean) => () => {
              const fixed = c.inputs.map((f) => (f.dtype === 'float64' ? null : fixtureTensor(f, backendName)));
              const floats = c.inputs.filter((f) => f.dtype === 'float64').map((f) => fixtureTensor(f, backendName).requiresGrad_());
              const fn = (...xs: Tensor[]) => {
                let j = 0;
                return row.fn(fixed.map((t) => t ?? xs[j++]), c.kwargs);
              };
              const r = gradcheck(fn, floats, { secondOrder });
              expect(r.ok, r.message).toBe(true);
            };
            caseTest('gradcheck', op, c, 'float64', `${c.name} first order`, check(false));
            if (row.secondOrder) caseTest('gradgradcheck', op, c, 'float64', `${c.name} second order`, check(true));
          }
        });
      }
    });

    describe(`fused vs composed softmax family (${backend.fused ? 'backend has fused kernels' : 'no fused kernels: both paths compose'})`, () => {
      for (const op of FUSED_OPS) {
        const row = opTable[op];
        for (const c of byOp.get(op) ?? []) {
          for (const dtype of floatDtypes) {
            caseTest('fused', op, c, dtype, `${c.name} ${dtype}`, () => {
              let fused: CaseResult;
              let composed: CaseResult;
              try {
                useFusedKernels(true);
                fused = runCase(row, c, backendName, dtype, 'dense', true);
                useFusedKernels(false);
                composed = runCase(row, c, backendName, dtype, 'dense', true);
              } finally {
                useFusedKernels(true);
              }
              expectSameResults(fused, composed, caseTolerance(row, c.name, dtype), 'fused vs composed');
            });
          }
        }
      }
    });

    describe('primitives vs the reference backend', () => {
      for (const check of primitiveChecks(backend, 'accelerated')) test(check.name, check.run);
    });
    describe('primitives composed from the required tier vs the reference backend', () => {
      for (const check of primitiveChecks(backend, 'composed')) test(check.name, check.run);
    });

    describe('moving between backends', () => {
      const why = backendName === peer ? `the backend under test is '${peer}'` : !hasBackend(peer) ? `'${peer}' is not registered` : '';
      const title = `to('${peer}') and back keeps values, dtypes and gradients`;
      if (why) test.skip(`${title} [skipped: ${why}]`, () => {});
      else {
        test(title, () => {
          const shared = backend.dtypes.filter((d) => getBackend(peer).dtypes.includes(d));
          for (const dtype of shared) {
            const x = fromTyped([1.5, -2, 0, 3.25, -0.5, 7], [2, 3], { dtype, backend: backendName });
            for (const src of [x, x.transpose(0, 1), x.narrow(1, 1, 2)]) {
              const there = src.to(peer);
              expect([there.backendName, there.dtype]).toEqual([peer, dtype]);
              expectAllclose(there, { shape: src.shape, data: src.data() }, exact, `${dtype} to ${peer}`);
              const back = there.to(backendName);
              expect([back.backendName, back.dtype]).toEqual([backendName, dtype]);
              expectAllclose(back, { shape: src.shape, data: src.data() }, exact, `${dtype} back from ${peer}`);
            }
          }
          const x = fromTyped([1, 2, 3], [3], { dtype: 'float32', backend: backendName, requiresGrad: true });
          x.to(peer).mul(3).sum().backward();
          expect(x.grad?.backendName).toBe(backendName);
          expectAllclose(x.grad!, { shape: [3], data: [3, 3, 3] }, exact, 'gradient through to()');
        });
      }
      test('an op on tensors of two backends raises BackendError', () => {
        const other = `${backendName}:conformance-peer`;
        if (!hasBackend(other)) registerBackend(other, createReferenceBackend);
        const a = fromTyped([1, 2, 3, 4], [2, 2], { backend: backendName });
        const b = fromTyped([1, 2, 3, 4], [2, 2], { backend: other });
        const mask = fromTyped([1, 0, 0, 1], [2, 2], { dtype: 'bool', backend: backendName });
        const index = fromTyped([0, 1, 1, 0], [2, 2], { dtype: 'int32', backend: other });
        expect(() => a.add(b)).toThrow(BackendError);
        expect(() => b.mul(a)).toThrow(BackendError);
        expect(() => a.matmul(b)).toThrow(BackendError);
        expect(() => concat([a, b])).toThrow(BackendError);
        expect(() => where(mask, a, b)).toThrow(BackendError);
        expect(() => a.gather(0, index)).toThrow(BackendError);
      });
    });
  });
}
