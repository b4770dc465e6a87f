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
 * work is split into row ranges (a few per thread), the ranges are queued in a control block at the
 * start of the memory, each worker is woken through an `Atomics` word, and every thread, the calling
 * one included, takes ranges from the queue until it is empty; the calling thread then waits on
 * the workers' done words. Workers are unref'd, so they never keep a process alive
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
  rowStats(x: number, stats: number, rows: number, len: number): void;
  ceGrad(x: number, out: number, k: number, rows: number, len: number): void;
}
/** Functions a worker may be handed, by index in the control block. */
const jobFns = ['gemm', 'unary', 'binary', 'softmaxStats', 'softmaxFinish', 'rowStats', 'ceGrad'] as const;
type JobFn = (typeof jobFns)[number];

const PAGE = 65536;
const MAX_PAGES = 32768; // 2 GiB: the arena grows on demand up to this
const SLOTS_BYTES = 4096; // one 128-byte slot per thread
const SLOT_INTS = 32;
const QUEUE_BYTES = 4096; // the job queue: [next, count, argc, fn, args of each range...]
const QUEUE_INTS = QUEUE_BYTES / 4;
const CONTROL_BYTES = SLOTS_BYTES + QUEUE_BYTES; // control block: slots, then the queue
/** Ranges per thread a kernel is split into: a thread the OS schedules late finds fewer left, not its fixed share. */
const CHUNKS_PER_THREAD = 4;

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
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

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
    const bytes = decode(binaries[relaxed ? 'relaxed' : 'simd']);
    if (shared) bytes[binaries.sharedMemoryFlags.at] = binaries.sharedMemoryFlags.value;
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
  numThreads = rt?.shared ? Math.min(n, SLOTS_BYTES / (SLOT_INTS * 4)) : 1;
}
export const getNumThreads = (): number => numThreads;

const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, slot, fns } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const table = fns.map((f) => ex[f]);
const ctl = new Int32Array(memory.buffer, slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
const q = new Int32Array(memory.buffer, ${SLOTS_BYTES}, ${QUEUE_INTS});
Atomics.store(ctl, 1, 1); Atomics.notify(ctl, 1); // ready
for (;;) {
  Atomics.wait(ctl, 0, 0);               // sleep until woken for a queue
  if (Atomics.compareExchange(ctl, 0, 1, 2) !== 1) continue; // the caller found the queue empty and took the job back
  const [fn, count, argc] = [table[q[3]], q[1], q[2]];
  for (let i = Atomics.add(q, 0, 1); i < count; i = Atomics.add(q, 0, 1)) fn(...q.subarray(4 + i * argc, 4 + (i + 1) * argc));
  Atomics.store(ctl, 0, 0);
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
 * Runs `fn` once per argument list on up to `threads` threads (the calling one counts). The lists
 * go into the queue; a job word per worker goes 0 (idle) → 1 (woken) → 2 (claimed) → 0, and every
 * thread takes lists from the queue until none is left. A worker still at 1 when the queue is empty
 * is taken back, so a worker the OS has not scheduled (a busy machine) costs no waiting; one that
 * claimed is waited for (at most the list it is on).
 */
export function parallel(fn: JobFn, argLists: number[][], threads: number): void {
  const k = rt!.kernels[fn] as (...a: number[]) => void;
  const argc = argLists[0].length;
  if (argLists.length === 1 || threads <= 1 || 4 + argLists.length * argc > QUEUE_INTS) { for (const a of argLists) k(...a); return; }
  ensureWorkers(threads);
  const n = Math.min(threads, workers.length + 1);
  const q = new Int32Array(rt!.memory.buffer, SLOTS_BYTES, QUEUE_INTS);
  argLists.forEach((a, i) => q.set(a, 4 + i * argc));
  q[1] = argLists.length;
  q[2] = argc;
  q[3] = jobFns.indexOf(fn);
  Atomics.store(q, 0, 0);
  for (let w = 1; w < n; w++) {
    const ctl = control(w);
    ctl[1] = 0;
    Atomics.store(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  }
  for (let i = Atomics.add(q, 0, 1); i < argLists.length; i = Atomics.add(q, 0, 1)) k(...argLists[i]);
  for (let w = 1; w < n; w++) {
    const ctl = control(w);
    if (Atomics.compareExchange(ctl, 0, 1, 0) === 1) continue; // never started: nothing is left for it
    while (Atomics.load(ctl, 1) === 0) Atomics.wait(ctl, 1, 0);
  }
}

/** Splits [0, total) for `threads` threads: one range, or a few per thread, with bounds at multiples of `align`. */
export const chunks = (total: number, threads: number, align: number): [number, number][] =>
  split(total, threads > 1 ? threads * CHUNKS_PER_THREAD : 1, align);

/** Splits [0, total) into at most `parts` ranges whose bounds are multiples of `align`. */
export function split(total: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  const step = Math.ceil(total / parts / align) * align;
  for (let s = 0; s < total; s += step) out.push([s, Math.min(total, s + step)]);
  return out;
}
