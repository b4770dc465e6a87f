/**
 * The WebAssembly side of the CPU backend: one instance of wasm/kernels.wat over one memory, a
 * scratch arena in that memory, and (in Node) a pool of worker threads sharing it.
 *
 * Start-up picks the best variant this runtime validates: relaxed SIMD (fused multiply-add) over
 * plain SIMD, shared memory (workers possible) over unshared (a browser without cross-origin
 * isolation has no SharedArrayBuffer: one thread, no error). No SIMD at all: the plain
 * TypeScript kernels run, as they do after `setWasm(false)` or with GRAFT_WASM=0.
 *
 * Kernels are synchronous, as the backend contract is: operands are copied into the arena, the
 * work is split into row ranges, each worker is handed its range through an `Atomics` word in a
 * control block at the start of the memory, the calling thread runs the first range itself and
 * then waits on the workers' done words. Workers are unref'd, so they never keep a process alive
 * (they sleep in Atomics.wait between jobs and end with the process).
 */
import * as binaries from './binaries.gen.js';

export interface Kernels {
  packB(b: number, sbk: number, sbn: number, K: number, N: number, KC: number, dst: number): void;
  gemm(a: number, sam: number, sak: number, bp: number, c: number, m0: number, m1: number, K: number, N8: number, KC: number, MC: number): void;
  unary(op: number, x: number, out: number, n: number): void;
  binary(op: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  softmaxStats(x: number, out: number, stats: number, rows: number, len: number): void;
  softmaxFinish(mode: number, x: number, out: number, k: number, rows: number, len: number): void;
}
/** Functions a worker may be handed, by index in the control block. */
const jobFns = ['gemm', 'unary', 'binary', 'softmaxStats', 'softmaxFinish'] as const;
type JobFn = (typeof jobFns)[number];

const PAGE = 65536;
const MAX_PAGES = 32768; // 2 GiB: the arena grows on demand up to this
const CONTROL_BYTES = 4096; // control block: one 128-byte slot per thread
const SLOT_INTS = 32;

interface WorkerLike { unref(): void; terminate(): Promise<number> | void }
type WorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;

// worker_threads and the core count where they exist (Node); top-level await keeps everything
// after it synchronous.
const node: { Worker: WorkerCtor; cores: number } | null = await (async () => {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node || typeof SharedArrayBuffer === 'undefined') return null;
  try {
    const [wt, os] = await Promise.all([import('node:worker_threads'), import('node:os')]);
    return { Worker: wt.Worker as unknown as WorkerCtor, cores: os.availableParallelism?.() ?? os.cpus().length };
  } catch { return null; }
})();
const nodeWorker = node?.Worker ?? null;

// The project compiles without the DOM lib, whose types describe WebAssembly; the few members used:
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmModule { readonly __module: unique symbol }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (m: WasmModule, imports: object) => { exports: object };
}
const WA = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

interface Runtime { module: WasmModule; memory: WasmMemory; kernels: Kernels; shared: boolean; relaxed: boolean }

function start(): Runtime | null {
  if (!WA) return null;
  const shared = nodeWorker !== null;
  for (const relaxed of [true, false]) {
    const bytes = decode(binaries[`${relaxed ? 'relaxed' : 'simd'}${shared ? 'Shared' : ''}`]);
    if (!WA.validate(bytes)) continue;
    const memory = new WA.Memory({ initial: 64, maximum: MAX_PAGES, shared });
    const module = new WA.Module(bytes);
    const kernels = new WA.Instance(module, { env: { memory } }).exports as unknown as Kernels;
    return { module, memory, kernels, shared, relaxed };
  }
  return null;
}

const rt = start();
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
let enabled = rt !== null && env.GRAFT_WASM !== '0';

/** What start-up found: whether the SIMD kernels run, with relaxed-SIMD FMA, and how many threads. */
export function wasmInfo(): { available: boolean; enabled: boolean; relaxedSimd: boolean; sharedMemory: boolean; threads: number } {
  return { available: rt !== null, enabled, relaxedSimd: rt?.relaxed ?? false, sharedMemory: rt?.shared ?? false, threads: numThreads };
}

/** Turns the WebAssembly kernels on or off (off: the plain TypeScript kernels, the reference path). */
export function setWasm(on: boolean): void { enabled = on && rt !== null; }
export const wasmEnabled = (): boolean => enabled;
export const kernels = (): Kernels => rt!.kernels;

// ---- arena ------------------------------------------------------------------------------------
let f32 = new Float32Array(0);

/** Makes the memory at least CONTROL_BYTES + `bytes` long; returns the float32 view of all of it. */
export function arena(bytes: number): Float32Array {
  const mem = rt!.memory;
  const need = CONTROL_BYTES + bytes;
  if (mem.buffer.byteLength < need) {
    const pages = Math.ceil((need - mem.buffer.byteLength) / PAGE);
    if (mem.buffer.byteLength / PAGE + pages > MAX_PAGES) throw new RangeError(`backend-cpu: a WebAssembly kernel needs ${need} bytes, past the 2 GiB arena`);
    mem.grow(pages);
  }
  // a shared memory's old buffer stays valid but keeps its old length: take a fresh view on growth
  if (f32.buffer !== mem.buffer) f32 = new Float32Array(mem.buffer);
  return f32;
}
/** Lays out regions of the given float counts (16-byte aligned) after the control block. */
export function layout(...floats: number[]): number[] {
  let at = CONTROL_BYTES;
  return floats.map((n) => { const p = at; at += Math.ceil(n / 4) * 16; return p; });
}

// ---- threads ----------------------------------------------------------------------------------
const hardware = Math.max(1, node?.cores ?? 1);
// Default: the cores, capped at 4 (more is untested: the machines measured here have 2).
let numThreads = rt?.shared ? Math.min(hardware, 4) : 1;
const workers: WorkerLike[] = [];

/** Threads the large kernels may split across (the calling thread counts as one), as in PyTorch. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  numThreads = rt?.shared ? Math.min(n, CONTROL_BYTES / (SLOT_INTS * 4)) : 1;
}
export const getNumThreads = (): number => numThreads;

const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, slot, fns } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const table = fns.map((f) => ex[f]);
const ctl = new Int32Array(memory.buffer, slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
Atomics.store(ctl, 1, 1); Atomics.notify(ctl, 1); // ready
for (;;) {
  Atomics.wait(ctl, 0, 0);               // sleep until handed a job
  Atomics.store(ctl, 0, 0);
  const argc = ctl[3];
  table[ctl[2]](...ctl.subarray(4, 4 + argc));
  Atomics.store(ctl, 1, 1); Atomics.notify(ctl, 1); // done
}`;

function control(slot: number): Int32Array {
  return new Int32Array(rt!.memory.buffer, slot * SLOT_INTS * 4, SLOT_INTS);
}

/** Starts workers up to `n − 1` and waits until each has its instance. */
function ensureWorkers(n: number): void {
  while (workers.length < n - 1) {
    const slot = workers.length + 1;
    const ctl = control(slot);
    Atomics.store(ctl, 1, 0);
    const w = new nodeWorker!(workerSource, { eval: true, workerData: { module: rt!.module, memory: rt!.memory, slot, fns: jobFns } });
    w.unref();
    if (Atomics.wait(ctl, 1, 0, 10_000) === 'timed-out') { void w.terminate(); numThreads = workers.length + 1; return; }
    workers.push(w);
  }
}

/**
 * Runs `fn` once per argument list, in parallel: the first list on this thread, the others on
 * workers. With one list (or one thread) it is a plain call.
 */
export function parallel(fn: JobFn, argLists: number[][]): void {
  const k = rt!.kernels[fn] as (...a: number[]) => void;
  if (argLists.length === 1) { k(...argLists[0]); return; }
  ensureWorkers(argLists.length);
  const n = Math.min(argLists.length, workers.length + 1);
  for (let w = 1; w < n; w++) {
    const ctl = control(w);
    ctl[1] = 0;
    ctl[2] = jobFns.indexOf(fn);
    ctl[3] = argLists[w].length;
    ctl.set(argLists[w], 4);
    Atomics.store(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  }
  k(...argLists[0]);
  for (let w = n; w < argLists.length; w++) k(...argLists[w]); // if fewer workers started than asked
  for (let w = 1; w < n; w++) {
    const ctl = control(w);
    while (Atomics.load(ctl, 1) === 0) Atomics.wait(ctl, 1, 0);
  }
}

/** Splits [0, total) into at most `parts` ranges whose bounds are multiples of `align`. */
export function split(total: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  const step = Math.ceil(total / parts / align) * align;
  for (let s = 0; s < total; s += step) out.push([s, Math.min(total, s + step)]);
  return out;
}
