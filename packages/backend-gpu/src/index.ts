/**
 * @graft/backend-gpu: graft's Backend on gpu.js (WebGL 2 / WebGL in browsers, headless-gl in
 * Node). Importing the package registers 'gpu'; the GL context opens on first use
 * (`setBackend('gpu')`, `t.to('gpu')`), and a BackendError says why when there is none —
 * gpu.js's silent CPU mode is refused.
 *
 * - Storage: float32 gpu.js textures made in pipeline mode with `immutable: true`; values cross
 *   to the host only in read() (data(), toArray(), item()) and in int32 host fallbacks, each
 *   counted in `stats().reads`. See runtime.ts and host.ts.
 * - dtypes: float32, int32 and bool (no float64: GL has no doubles, and a DtypeError is better than
 *   a silently rounded result). int32 is exact: values within ±2^24 live in textures, and a
 *   result that could leave that range is computed and kept on the host (host.ts).
 * - Kernels: one file per family under ./kernels, as on the cpu backend; each takes the Runtime
 *   first and otherwise has its primitive's signature. This file only wires them up.
 * - Memory: dispose(), tidy(fn) (core) and a FinalizationRegistry free textures;
 *   `liveTextures()` counts the textures live buffers hold.
 */
import {
  acceleratedBinaryOps, acceleratedUnaryOps, type Backend, BackendError, comparisonOps, type DType, registerBackend, type TypedArray,
} from '@graft/core';
import { type GlMode, openContext, whyNoGl } from './context.js';
import { exactIn, fromArray, gpuOrHost, read } from './host.js';
import { binary, binaryBound, cast, contiguous, fill, unary, where } from './kernels/elementwise.js';
import { logSoftmax, logsumexp, softmax } from './kernels/fused.js';
import { concat, gather, indexSelect, scatterAdd, scatterAddBound } from './kernels/indexing.js';
import { matmul, matmulBound } from './kernels/matmul.js';
import { argReduce, cumsum, cumsumBound, reduce, reduceBound } from './kernels/reduce.js';
import { sort } from './kernels/sort.js';
import { type GpuBuffer, type GView, Runtime } from './runtime.js';

export { GpuBuffer } from './runtime.js';
export type { GlMode } from './context.js';

/** gpu.js modes: the GL ones run; 'webgpu' is refused (its kernels are asynchronous, graft's primitives are not). */
export type GpuMode = GlMode | 'webgpu';

export interface GpuBackendOptions {
  /** Default: 'headlessgl' in Node, 'webgl2' (else 'webgl') in a browser page or a Web Worker with OffscreenCanvas. */
  mode?: GpuMode;
}

export interface GpuStats {
  /** Textures held by live tensor buffers. */
  liveTextures: number;
  /** Compiled kernels (one per op structure; shapes are uniforms). */
  kernels: number;
  /** Kernel compilations and launches so far. */
  compiles: number;
  launches: number;
  /** Kernels gpu.js rebuilt because an argument's type changed (should be 0: shapes are uniforms). */
  recompiles: number;
  /**
   * Texture downloads so far: read() / readAsync(), and int32 host fallbacks. Each one waits for
   * the GPU to finish its queue, so a training step should make one (its loss), not one per op.
   */
  reads: number;
}

export interface GpuBackend extends Backend<GpuBuffer> {
  /** The gpu.js mode that actually runs ('headlessgl', 'webgl2' or 'webgl'). */
  readonly mode: GlMode;
  /** The GL renderer string, e.g. 'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)'. */
  readonly renderer: string;
  /** True under a software rasteriser (llvmpipe, softpipe, swrast, SwiftShader): timings are not GPU timings. */
  readonly software: boolean;
  /**
   * read() as a Promise. It resolves the synchronous read: gpu.js 2.24 reads a pipeline texture
   * only synchronously (`Texture.toArray`; its fence-based async readback exists for WebGL 2
   * kernels that render to the host, and headless-gl is WebGL 1).
   */
  readAsync(x: GView): Promise<TypedArray>;
  /** The bytes a buffer holds (4 per texel; a host-resident int32 buffer's array), for core's memory warning. */
  storageBytes(buf: GpuBuffer): number;
  /** Textures held by live buffers: what a training loop inside tidy() must keep flat. */
  liveTextures(): number;
  stats(): GpuStats;
}

export function createGpuBackend(options: GpuBackendOptions = {}): GpuBackend {
  const ctx = openContext(options.mode);
  const rt = new Runtime(ctx);
  const copy = gpuOrHost(rt, 'contiguous', contiguous);
  const readSync = (x: GView) => read(rt, copy, x);
  // float32 → int32 truncates and wraps: exact only on the host, whatever the values' range
  const toDtype = gpuOrHost(rt, 'cast', cast, (x, dtype) => !(dtype === 'int32' && x.dtype === 'float32'));

  return {
    name: 'gpu',
    dtypes: ['float32', 'int32', 'bool'],
    // every elementwise op has its own GLSL (glsl.ts): none is composed by core
    accelerated: { unary: acceleratedUnaryOps, binary: acceleratedBinaryOps },
    mode: ctx.mode,
    renderer: ctx.renderer,
    software: ctx.software,
    liveTextures: () => rt.live,
    stats: () => ({ liveTextures: rt.live, kernels: rt.kernelCount, compiles: rt.compiles, launches: rt.launches, recompiles: rt.recompiles, reads: rt.reads }),

    fromArray: (data, dtype) => fromArray(rt, data, stored(dtype)),
    read: readSync,
    readAsync: async (x) => readSync(x),
    fill: (size, value, dtype) => fill(rt, size, value, stored(dtype)),
    dispose: (buf) => rt.dispose(buf),
    storageBytes: (buf) => (buf.host ? buf.host.byteLength : buf.size * 4),
    cast: (x, dtype) => toDtype(x, stored(dtype)),
    contiguous: copy,

    unary: gpuOrHost(rt, 'unary', unary),
    binary: gpuOrHost(rt, 'binary', binary, (op, a, b) => comparisonOps.has(op) || exactIn(a.dtype, binaryBound(op, a, b))),
    where: gpuOrHost(rt, 'where', where),

    reduce: gpuOrHost(rt, 'reduce', reduce, (op, x, axes) => exactIn(x.dtype, reduceBound(op, x, axes))),
    argReduce: gpuOrHost(rt, 'argReduce', argReduce),
    cumsum: gpuOrHost(rt, 'cumsum', cumsum, (x, axis) => exactIn(x.dtype, cumsumBound(x, axis))),

    matmul: gpuOrHost(rt, 'matmul', matmul, (a, b) => exactIn(a.dtype, matmulBound(a, b))),

    gather: gpuOrHost(rt, 'gather', gather),
    scatterAdd: gpuOrHost(rt, 'scatterAdd', scatterAdd, (x, axis, index, src) => exactIn(x.dtype, scatterAddBound(x, axis, index, src))),
    indexSelect: gpuOrHost(rt, 'indexSelect', indexSelect),
    sort: gpuOrHost(rt, 'sort', sort),
    concat: gpuOrHost(rt, 'concat', concat),

    // float32 only, so never on the host
    fused: {
      logsumexp: (x, axis) => logsumexp(rt, x, axis),
      softmax: (x, axis) => softmax(rt, x, axis),
      logSoftmax: (x, axis) => logSoftmax(rt, x, axis),
    },
  };
}

/** The dtype, if this backend stores it (core checks `dtypes` first; this guards direct calls). */
function stored(dtype: DType): DType {
  if (dtype === 'float64') throw new BackendError('gpu', 'float64 is not stored by the gpu backend (GL has float32 only)');
  return dtype;
}

/** Why the 'gpu' backend cannot run here (no GL context), or null if it can. Opens nothing. */
export function gpuUnavailableReason(): string | null {
  return whyNoGl();
}

// Importing the package plugs it in under 'gpu'; the GL context opens on first use.
registerBackend('gpu', () => createGpuBackend());
