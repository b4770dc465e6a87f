/**
 * The PyTorch-generated fixtures of test/fixtures/*.json (format: tools/loss_fixtures/common.py)
 * and `runLossFixtures(backend)`: every case through its registry entry on `backend`, value and
 * the gradients of Σ(out · cotangent) against the reference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type DType, isFloat, type Tensor, tensor, tidy } from '@graft/core';
import { defaultTolerances, expectAllclose, type Tol } from '@graft/core/testing';
import { registry } from '../registry.js';
import { callEntry } from './helpers.js';

export interface EncodedTensor { shape: number[]; dtype: DType; data: (number | string | boolean)[] }
export interface FixtureCase {
  id: string;
  label: string;
  inputs: (EncodedTensor | null)[];
  options: Record<string, unknown>;
  output: EncodedTensor;
  cotangent: EncodedTensor | null;
  grads: (EncodedTensor | null)[] | null;
  /** The file the case came from. */
  file: string;
}

const dir = new URL('../../test/fixtures/', import.meta.url);
const decodeNumber = (v: number | string | boolean): number =>
  v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v);

export function decode(t: EncodedTensor, dtype: DType = t.dtype, backend?: string): Tensor {
  return tensor(Float64Array.from(t.data, decodeNumber), { dtype, backend }).reshape(t.shape);
}
export const decodeValues = (t: EncodedTensor): number[] => t.data.map(decodeNumber);

/** The float dtype a fixture tensor is run in: `float` for float tensors, its own for int32 and bool. */
const runDtype = (t: EncodedTensor, float: DType): DType => (t.dtype === 'float64' || t.dtype === 'float32' ? float : t.dtype);

/** Options with tensors decoded (float ones in `float`, default float64) on `backend`. */
export function decodeOptions(options: Record<string, unknown>, float: DType = 'float64', backend?: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => {
    if (!v || typeof v !== 'object' || !('__tensor__' in v)) return [k, v];
    const t = (v as { __tensor__: EncodedTensor }).__tensor__;
    return [k, decode(t, runDtype(t, float), backend)];
  }));
}

export function loadFixtures(): FixtureCase[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().flatMap((file) => {
    const { cases } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { cases: Omit<FixtureCase, 'file'>[] };
    return cases.map((c) => ({ ...c, file }));
  });
}

/** A fixture case that needs another tolerance in float32, or whose gradients float32 does not determine; data, with its reason. */
export interface FixtureException {
  id: string;
  /** The case's label. */
  label: string;
  tol?: Tol;
  valueOnly?: true;
  reason: string;
}

export interface FixtureSuiteOptions {
  exceptions?: readonly FixtureException[];
  /** As BenchOptions.liveBuffers: every case inside tidy, leaving the count where it was. */
  liveBuffers?: () => number;
}

/**
 * float64: |a − e| ≤ 1e-9 + 1e-7·|e| (a different but exact-in-theory evaluation order than PyTorch's);
 * float32: core's float32 default (inputs rounded to float32, then a few dozen float32 ops).
 */
const tolerance = { float64: { atol: 1e-9, rtol: 1e-7 }, float32: defaultTolerances.float32 };

export function runLossFixtures(backend: string, dtype: 'float64' | 'float32', options: FixtureSuiteOptions = {}): void {
  const { exceptions = [], liveBuffers } = options;
  describe(`the PyTorch fixture cases in ${dtype}`, () => {
    test.each(loadFixtures().map((c) => [`${c.id}: ${c.label}`, c] as const))('%s', (_name, c) => {
      const ex = exceptions.find((e) => e.id === c.id && e.label === c.label);
      const tol = ex?.tol ?? tolerance[dtype];
      const before = liveBuffers?.();
      tidy(() => {
        const xs = c.inputs.map((t) => (t ? decode(t, runDtype(t, dtype), backend) : undefined));
        const leaves = xs.map((x) => (x && isFloat(x.dtype) && c.grads ? x.requiresGrad_() : x));
        const out = callEntry(registry.get(c.id), leaves, decodeOptions(c.options, dtype, backend));
        expect(out.backendName).toBe(backend);
        expectAllclose(out, { shape: c.output.shape, data: decodeValues(c.output) }, isFloat(out.dtype) ? tol : { atol: 0, rtol: 0 }, 'value');
        if (!c.grads || !c.cotangent || ex?.valueOnly) return;
        out.mul(decode(c.cotangent, dtype, backend)).sum().backward();
        c.grads.forEach((g, i) => {
          if (!g) return;
          const actual = leaves[i]!.grad ?? tensor(new Float64Array(g.data.length), { dtype, backend }).reshape(g.shape);
          expectAllclose(actual, { shape: g.shape, data: decodeValues(g) }, tol, `gradient of input ${i}`);
        });
      });
      if (before !== undefined) expect(liveBuffers!(), 'live buffers left after the tidy').toBe(before);
    });
  });

  test('every exception names a fixture case and changes something', () => {
    const cases = new Set(loadFixtures().map((c) => `${c.id}\u0000${c.label}`));
    for (const e of exceptions) {
      expect(cases.has(`${e.id}\u0000${e.label}`), `${e.id}: fixture '${e.label}'`).toBe(true);
      expect(e.tol || e.valueOnly, `${e.id}: an exception that changes nothing`).toBeTruthy();
    }
  });
}
