/**
 * Buffers, the kernel cache and the pass loop shared by every kernel file.
 *
 * Storage: a float32 gpu.js texture (pipeline mode, `immutable: true`, one value per texel),
 * made only by kernels of this backend, read back only by `download`. Every kernel output is a
 * fresh texture (immutable mode clones the output before the next run overwrites it), so a
 * texture that autograd saved is never written again.
 *
 * dtypes: float32 as float32. bool as 0/1. int32 as float32 holding exact integers: exact as
 * long as every value (and every partial sum or product on the way) stays within ±2^24, which
 * each buffer tracks as a static `bound`. An int32 result that could leave that range is computed
 * on the host instead (host.ts) and kept there (`host`) if it really does.
 */
import { BackendError, contiguousStrides, type DType, type View } from '@graft/core';
import { Source } from './codegen.js';
import type { GpuContext } from './context.js';

/** Exact-integer range of a float32 texture. */
export const INT_LIMIT = 2 ** 24;
/** The largest loop a kernel runs in one pass (software GL stops loops at 65,535 iterations). */
export const TILE = 256;

export type Texture = { delete(): void; toArray(): Float32Array; texture: unknown; output: number[] };
type Shortcut = ((...args: unknown[]) => unknown) & { setOutput(o: number[]): void; kernel: any; output?: number[] };

export class GpuBuffer {
  disposed = false;
  constructor(
    readonly size: number,
    readonly dtype: DType,
    /** The texture (null when size is 0, or for a host-resident int32 buffer). */
    public tex: Texture | null,
    /** int32 values some of which lie outside ±2^24: kept on the host, exactly. */
    public host: Int32Array | null,
    /** An upper bound of |value| (int32 and bool; Infinity for floats). */
    readonly bound: number,
  ) {}
}

export type GView = View<GpuBuffer>;

export class Runtime {
  private readonly kernels = new Map<string, { k: Shortcut; names: string[]; inner?: unknown }>();
  private liveCount = 0;
  compiles = 0;
  /** Times gpu.js rebuilt a cached kernel behind our back (argument types changed): should stay 0. */
  recompiles = 0;
  launches = 0;
  /** Downloads: texture values copied to the host (each one waits for the GPU to finish). */
  reads = 0;
  private readonly registry = new FinalizationRegistry<Texture>((tex) => {
    this.liveCount--;
    tex.delete();
  });

  constructor(readonly ctx: GpuContext) {}

  /** Textures held by live buffers. */
  get live(): number { return this.liveCount; }
  get kernelCount(): number { return this.kernels.size; }

  // ---- buffers -----------------------------------------------------------------------------
  /** A buffer owning `tex`; `bound` bounds |value| for int32 (floats: Infinity, bool: 1). */
  wrap(tex: Texture | null, size: number, dtype: DType, bound: number): GpuBuffer {
    const buf = new GpuBuffer(size, dtype, tex, null, dtype === 'float32' ? Infinity : dtype === 'bool' ? 1 : bound);
    if (tex) {
      this.liveCount++;
      this.registry.register(buf, tex, buf);
    }
    return buf;
  }

  empty(dtype: DType): GpuBuffer { return this.wrap(null, 0, dtype, 0); }

  hostInt(data: Int32Array): GpuBuffer {
    return new GpuBuffer(data.length, 'int32', null, data, Infinity);
  }

  dispose(buf: GpuBuffer): void {
    if (buf.disposed) return;
    buf.disposed = true;
    buf.host = null;
    if (buf.tex) {
      this.registry.unregister(buf);
      this.liveCount--;
      buf.tex.delete();
      buf.tex = null;
    }
  }

  /** The buffer's texture, checked. */
  tex(buf: GpuBuffer): Texture {
    if (buf.disposed) {
      throw new BackendError('gpu', 'a tensor was used after its GPU storage was freed (by dispose(), or at the end of the tidy() that created it); return it from the tidy or keep() it');
    }
    if (!buf.tex) throw new BackendError('gpu', `internal: a ${buf.host ? 'host-resident' : 'zero-size'} buffer reached a kernel`);
    return buf.tex;
  }

  /** Every value of a texture-backed buffer, as float32. */
  download(buf: GpuBuffer): Float32Array {
    if (buf.size === 0) return new Float32Array(0);
    this.reads++;
    const values = this.tex(buf).toArray();
    return values.length === buf.size ? values : values.subarray(0, buf.size);
  }

  // ---- kernels ---------------------------------------------------------------------------------
  /**
   * Runs the kernel cached under `key` (its source written by `build` on first use) over `size`
   * outputs and returns its fresh output texture. `values` names every parameter `build` declared.
   */
  run(key: string, build: (s: Source) => void, size: number, values: Record<string, unknown>, loopMax = TILE): Texture {
    if (size > INT_LIMIT) {
      throw new BackendError('gpu', `a result of ${size} elements is over this backend's limit of 2^24 (${INT_LIMIT}) elements per tensor`);
    }
    // gpu.js's immutable mode mishandles a kernel given its own latest output as an argument
    // (it swaps in an older output texture, of a possibly different size): a pass that consumes
    // the previous pass of the same kernel runs on a second instance instead.
    const mine = (e: { k: Shortcut } | undefined) => e?.k.kernel?.texture?.texture;
    while (Object.values(values).some((v) => v && (v as Texture).texture !== undefined && (v as Texture).texture === mine(this.kernels.get(key)))) {
      key += '~';
    }
    let entry = this.kernels.get(key);
    if (!entry) {
      const s = new Source();
      build(s);
      const { source, argumentTypes, names } = s.build();
      const k = this.ctx.gpu.createKernel(source, {
        output: [size],
        argumentTypes,
        pipeline: true,
        immutable: true,
        precision: 'single',
        tactic: 'precision',
        dynamicOutput: true,
        dynamicArguments: true,
        loopMaxIterations: loopMax,
      } as any) as unknown as Shortcut;
      entry = { k, names: names.slice(0, -2) };
      this.kernels.set(key, entry);
      this.compiles++;
    } else if (entry.k.kernel.output[0] !== size) {
      entry.k.setOutput([size]);
    }
    const { k, names } = entry;
    const args = names.map((n) => {
      const v = values[n];
      if (v === undefined) throw new Error(`internal: kernel '${key}' needs argument '${n}'`);
      return v;
    });
    this.launches++;
    const out = k(...args, NaN, Infinity) as Texture;
    if (entry.inner !== undefined && entry.inner !== k.kernel) this.recompiles++;
    entry.inner = k.kernel;
    if (!out || typeof (out as Texture).delete !== 'function' || !(out as Texture).texture || k.kernel?.constructor?.name === 'CPUKernel') {
      throw new BackendError('gpu', `gpu.js ran kernel '${key}' on its CPU fallback instead of GL (${k.kernel?.fallbackReason ?? 'no reason given'}); refusing the result`);
    }
    return out;
  }

  /** Uploads float32 values into a new texture. */
  upload(values: Float32Array): Texture {
    return this.run('upload', (s) => s.line(`return ${s.param('a', 'array')}[this.thread.x];`), values.length, { a: values });
  }
}

/** A dense 1-d view of a temporary texture (a pass's output fed to the next kernel). */
export function tempView(tex: Texture, shape: number[]): GView {
  return { buffer: new GpuBuffer(shape.reduce((a, n) => a * n, 1), 'float32', tex, null, Infinity), dtype: 'float32', shape, strides: contiguousStrides(shape), offset: 0 };
}

/**
 * The loop of every multi-pass kernel (tiled reductions and scans, scatterAdd, concat, sort): runs
 * `step` once per pass with the previous pass's output (`first` before the first pass), deleting
 * each intermediate once the next pass has consumed it. Returns the last output.
 */
export function multiPass<P>(passes: Iterable<P>, step: (pass: P, prev: Texture | null) => Texture, first: Texture | null = null): Texture {
  let prev = first;
  for (const pass of passes) {
    const out = step(pass, prev);
    prev?.delete();
    prev = out;
  }
  if (!prev) throw new BackendError('gpu', 'internal: a multi-pass kernel ran no pass');
  return prev;
}

/** [0, n) in runs of at most TILE (one run when n = 0): the passes of a loop too long for one shader. */
export const tiles = (n: number): { j0: number; cnt: number }[] =>
  Array.from({ length: Math.max(1, Math.ceil(n / TILE)) }, (_, i) => ({ j0: i * TILE, cnt: Math.min(TILE, n - i * TILE) }));

/** The passes that fold G partial results per row TILE at a time down to one: G → ⌈G/TILE⌉ → … → 1. */
export function levels(G: number): { G: number; G2: number }[] {
  const out = [];
  for (let g = G; g > 1; g = Math.ceil(g / TILE)) out.push({ G: g, G2: Math.ceil(g / TILE) });
  return out;
}

