/**
 * The WebAssembly kernels at sizes the conformance fixtures do not reach (blocked K, row and
 * column remainders, batches sharing B, transposed operands), the polynomial exp/tanh/sigmoid
 * over the whole float32 range with their special values, and the softmax family on padded rows
 * with ±∞/NaN rows: each against the TypeScript kernels (`wasm: false`), one thread and two.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { denseView, type TypedArray, type View } from '@graft/core/backend-kit';
import { createCpuBackend, setNumThreads } from '../src/index.js';

const js = createCpuBackend({ wasm: false });
const forced = (threads: number) => createCpuBackend({ minWasmMatmul: 0, minWasmElements: 0, minThreadWork: 0, threads });
type V = View<TypedArray>;

let seed = 1;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const f32 = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rand() * scale);

function expectClose(actual: TypedArray, expected: TypedArray, rtol: number, atol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e)) continue;
    expect.fail(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}

it('the assembled kernels are those of the current wasm/kernels.wat (else: pnpm install, or node scripts/build-wasm.mjs)', () => {
  const read = (f: string) => readFileSync(new URL(`../${f}`, import.meta.url));
  const hash = createHash('sha256').update(read('wasm/kernels.wat').toString('utf8')).update(read('scripts/build-wasm.mjs')).digest('hex').slice(0, 16);
  expect(read('src/wasm/binaries.gen.ts').toString('utf8')).toContain(`source ${hash}`);
});

describe.each([1, 2])('WebAssembly kernels, %i thread(s)', (threads) => {
  setNumThreads(2);
  const wasm = forced(threads);

  it('matmul: K past one block, M and N off the 4×8 tile, transposed operands, broadcast batches', () => {
    for (const [M, K, N] of [[1, 1, 1], [7, 300, 13], [66, 517, 40], [130, 64, 9]]) {
      const a = f32(M * K), b = f32(K * N);
      const A = denseView(a, [M, K], 'float32');
      const B = denseView(b, [K, N], 'float32');
      const At: V = { buffer: f32(M * K), dtype: 'float32', shape: [M, K], strides: [1, M], offset: 0 };
      const Bt: V = { buffer: b, dtype: 'float32', shape: [K, N], strides: [1, K], offset: 0 };
      for (const [x, y, tag] of [[A, B, 'A·B'], [At, B, 'Aᵀ·B'], [A, Bt, 'A·Bᵀ'], [At, Bt, 'Aᵀ·Bᵀ']] as const) {
        expectClose(wasm.matmul(x, y), js.matmul(x, y), 1e-5, 1e-5 * Math.sqrt(K), `${M}×${K}×${N} ${tag}`);
      }
      // three batch entries of A against one B (stride 0), from an offset
      const a3 = f32(3 * M * K + 5);
      const A3: V = { buffer: a3, dtype: 'float32', shape: [3, M, K], strides: [M * K, K, 1], offset: 5 };
      const B3: V = { buffer: b, dtype: 'float32', shape: [3, K, N], strides: [0, N, 1], offset: 0 };
      expectClose(wasm.matmul(A3, B3), js.matmul(A3, B3), 1e-5, 1e-5 * Math.sqrt(K), `batched ${M}×${K}×${N}`);
    }
  });

  it('exp, tanh and sigmoid within float32 accuracy over the whole range, ±∞ and NaN included', () => {
    const specials = [0, -0, 1e-30, -1e-30, 0.625, -0.625, 88.7, 88.73, 89, -87.3, -103, -104, -110, 1e30, -1e30, Infinity, -Infinity, NaN];
    const x = Float32Array.from([...specials, ...f32(4001, 20), ...f32(2000, 120)]);
    const view = denseView(x, [x.length], 'float32');
    for (const op of ['exp', 'tanh', 'sigmoid'] as const) {
      // relative error a few float32 ulps; atol covers exp's subnormal results, flushed only below 1e-38
      expectClose(wasm.unary(op, view), js.unary(op, view), 4e-7 * 4, 1e-38, op);
    }
  });

  it('+ − × ÷ bit for bit as the TypeScript kernels, dense and with a broadcast scalar on either side', () => {
    const specials = [0, -0, 1, -1, 1e-45, 3.4e38, -3.4e38, Infinity, -Infinity, NaN];
    const n = 4099;
    const a = Float32Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] : rand() * 100));
    const b = Float32Array.from({ length: n }, (_, i) => (i < specials.length ? specials[specials.length - 1 - i] : rand() * 3));
    const A = denseView(a, [n], 'float32');
    const B: V = { buffer: b, dtype: 'float32', shape: [n], strides: [1], offset: 0 };
    const S: V = { buffer: Float32Array.of(0, -2.5), dtype: 'float32', shape: [n], strides: [0], offset: 1 };
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      for (const [x, y, tag] of [[A, B, 'dense'], [A, S, 'x⊙scalar'], [S, B, 'scalar⊙y']] as const) {
        const [got, want] = [wasm.binary(op, x, y), js.binary(op, x, y)];
        want.forEach((v, i) => { if (!Object.is(got[i], v) && !(Number.isNaN(v) && Number.isNaN(got[i]))) expect.fail(`${op} ${tag} [${i}]: ${got[i]} vs ${v}`); });
      }
    }
  });

  it('softmax family on rows padded to whole vectors, with rows of ±∞ and NaN', () => {
    for (const len of [1, 3, 8, 1001]) {
      const rows = 9;
      const x = f32(rows * len + 2, 30);
      x[2 + 3 * len] = Infinity;
      x[2 + 4 * len] = NaN;
      for (let k = 0; k < len; k++) x[2 + 5 * len + k] = -Infinity;
      const v: V = { buffer: x, dtype: 'float32', shape: [rows, len], strides: [len, 1], offset: 2 };
      for (const mode of ['softmax', 'logSoftmax', 'logsumexp'] as const) {
        expectClose(wasm.fused![mode]!(v, 1), js.fused![mode]!(v, 1), 2e-6, 1e-7, `${mode} len ${len}`);
      }
    }
  });
});
