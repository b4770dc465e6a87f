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
import { logSoftmax, logsumexp, softmax } from './kernels/fused.js';
import type { CpuBuffer } from './kernels/strided.js';

export type { CpuBuffer } from './kernels/strided.js';

export function createCpuBackend(): FullBackend<CpuBuffer> {
  return {
    name: 'cpu',
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
      return arrayFor(dtype, size).fill(dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
    },
    dispose() {}, // garbage collected
    cast,
    contiguous,

    unary,
    binary,
    where,

    reduce,
    argReduce,
    cumsum,

    matmul,

    gather,
    scatterAdd,
    indexSelect,
    sort,
    concat,

    fused: { logsumexp, softmax, logSoftmax },
  };
}

// Importing the package plugs it in under 'cpu', graft's default backend name.
registerBackend('cpu', createCpuBackend);
