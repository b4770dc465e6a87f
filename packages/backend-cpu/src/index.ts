/**
 * @graft/backend-cpu: the default backend. Storage is a plain typed array (Float32Array,
 * Float64Array, Int32Array, Uint8Array for bool); kernels live one concept per file under
 * ./kernels, built on `@graft/core/backend-kit` (the semantics table, strided-view helpers). It
 * implements both tiers of the contract and the fused softmax family; reads are synchronous.
 */
import {
  acceleratedBinaryOps, acceleratedUnaryOps, arrayFor, dtypes, registerBackend, type FullBackend,
} from '@graft/core/backend-kit';
import { binary, cast, contiguous, unary, where } from './kernels/elementwise.js';
import { argReduce, cumsum, reduce } from './kernels/reduce.js';
import { matmul } from './kernels/matmul.js';
import { concat, gather, indexSelect, scatterAdd } from './kernels/indexing.js';
import { sort } from './kernels/sort.js';
import { crossEntropy, crossEntropyBackward, logSoftmax, logsumexp, softmax } from './kernels/fused.js';
import { type CpuBuffer, type CpuView, release, uninit } from './kernels/strided.js';
import { type CpuOptions, resolve } from './wasm/config.js';

export type { CpuBuffer } from './kernels/strided.js';
export type { CpuOptions } from './wasm/config.js';
export { setWasm, wasmInfo } from './wasm/runtime.js';
export { setNumThreads, getNumThreads } from './wasm/threads.js';
export { setBufferPool } from './kernels/strided.js';

/**
 * The CPU backend. Float32 matmul, exp/tanh/sigmoid and the softmax family run on WebAssembly SIMD
 * kernels (split across worker threads when large) where the runtime has them; everything else,
 * and all of it after `setWasm(false)` or with GRAFT_WASM=0, runs the TypeScript kernels.
 */
export function createCpuBackend(options: CpuOptions = {}): FullBackend<CpuBuffer> {
  const cfg = resolve(options);
  return {
    name: options.name ?? 'cpu',
    dtypes,
    accelerated: { unary: acceleratedUnaryOps, binary: acceleratedBinaryOps }, // every elementwise op: loops come from the rules

    fromArray(data, dtype) {
      const out = arrayFor(dtype, data.length);
      if (dtype === 'bool') for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
      else out.set(data); // converts: float32 rounds, int32 truncates toward zero
      return out;
    },
    read: contiguous,
    fill(size, value, dtype) {
      return uninit(dtype, size).fill(dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
    },
    dispose: release, // large buffers go back to a pool for the next kernel (kernels/strided.ts)
    cast,
    contiguous,

    unary: (op, x) => unary(op, x, cfg()),
    binary: (op, a, b) => binary(op, a, b, cfg()),
    where,

    reduce,
    argReduce,
    cumsum,

    matmul: (a: CpuView, b: CpuView) => matmul(a, b, cfg()),

    gather,
    scatterAdd,
    indexSelect,
    sort,
    concat,

    fused: {
      logsumexp: (x, axis) => logsumexp(x, axis, cfg()),
      softmax: (x, axis) => softmax(x, axis, cfg()),
      logSoftmax: (x, axis) => logSoftmax(x, axis, cfg()),
      crossEntropy: (x, target, ignoreIndex) => crossEntropy(x, target, ignoreIndex, cfg()),
      crossEntropyBackward: (x, lse, target, g, ignoreIndex) => crossEntropyBackward(x, lse, target, g, ignoreIndex, cfg()),
    },
  };
}

// Importing the package plugs it in under 'cpu', graft's default backend name.
registerBackend('cpu', () => createCpuBackend());
