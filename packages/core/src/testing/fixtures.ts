/** PyTorch-generated op fixtures (tools/gen_op_fixtures.py and tools/gen_ops_*.py → fixtures/ops*.json), decoded. */
import { fromTyped } from '../creation.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { readFixtureFiles } from './fixture-files.js';

/** One tensor of a fixture: row-major values as float64 JS numbers (NaN/±∞ decoded). */
export interface FixtureTensor {
  shape: number[];
  dtype: DType;
  data: number[];
}

/** One case: graft's `op` (a key of `opTable`) on `inputs` with `kwargs`, and what PyTorch got. */
export interface OpCase {
  name: string;
  op: string;
  inputs: FixtureTensor[];
  kwargs: Record<string, any>;
  output: FixtureTensor;
  /** For ops that return values and indices: the indices (`output` holds the values). */
  indices?: FixtureTensor;
  /** Differentiable cases: the seed gradient, and d(Σ output·cotangent)/d(input) per input (null for int/bool inputs). */
  cotangent?: FixtureTensor;
  grads?: (FixtureTensor | null)[];
}

/** JSON cannot hold NaN or ±∞: the generator writes them as strings. */
export function decodeNumber(v: unknown): unknown {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

const decodeTensor = (t: any): FixtureTensor => ({ shape: t.shape, dtype: t.dtype, data: t.data.map(decodeNumber) });

function decodeKwargs(kwargs: Record<string, unknown>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(kwargs)) out[k] = Array.isArray(v) ? v.map(decodeNumber) : decodeNumber(v);
  return out;
}

let cache: OpCase[] | undefined;

/** Every case of fixtures/ops*.json (one file per generator: tools/gen_op_fixtures.py, tools/gen_ops_*.py), parsed once. */
export function loadOpFixtures(): OpCase[] {
  if (!cache) {
    const raw = readFixtureFiles().flatMap((text) => JSON.parse(text).cases);
    cache = raw.map((c: any): OpCase => ({
      name: c.name,
      op: c.op,
      inputs: c.inputs.map(decodeTensor),
      kwargs: decodeKwargs(c.kwargs),
      output: decodeTensor(c.output),
      indices: c.indices && decodeTensor(c.indices),
      cotangent: c.cotangent && decodeTensor(c.cotangent),
      grads: c.grads?.map((g: any) => (g ? decodeTensor(g) : null)),
    }));
  }
  return cache!;
}

/** A fixture tensor on `backend`; float64 fixtures take `floatDtype` (the dtype under test). */
export function fixtureTensor(f: FixtureTensor, backend: string, floatDtype: DType = 'float64'): Tensor {
  return fromTyped(f.data, f.shape, { dtype: f.dtype === 'float64' ? floatDtype : f.dtype, backend });
}
