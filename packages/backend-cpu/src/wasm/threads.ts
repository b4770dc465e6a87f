/**
 * The thread pool of the WebAssembly kernels: workers that share the runtime's memory, each with
 * its own instance of the same module, fed through a control block at the start of that memory.
 *
 * Workers come from Node's worker_threads, or are Web Workers (from a Blob URL) in a browser page
 * or worker that is cross-origin isolated, the only place a browser has SharedArrayBuffer and
 * shared WebAssembly memory. Elsewhere there is no pool: every kernel runs on the calling thread,
 * without error. Both hosts run one worker source; only how it gets its start-up data differs.
 *
 * Node workers are waited for when started (milliseconds). Browser workers start asynchronously,
 * once the calling thread returns to its event loop, so a kernel only uses workers that have said
 * they are ready, and the first kernels may run on the calling thread alone. A page's main thread
 * may not block in `Atomics.wait`; there the caller spins on `Atomics.load` instead, and only ever
 * waits for a worker finishing the range it has already claimed.
 */
import type { Kernels } from './runtime.js';

/** Functions a worker may be handed, by index in the queue. */
const jobFns = ['gemm', 'unary', 'binary', 'softmaxStats', 'softmaxFinish', 'rowStats', 'ceGrad'] as const;
export type JobFn = (typeof jobFns)[number];

const SLOTS_BYTES = 4096; // one 128-byte slot per thread (slot 0, the caller's, is unused)
const SLOT_INTS = 32;
const [JOB, DONE, READY] = [0, 1, 2]; // the words of a slot
const QUEUE_BYTES = 4096; // the job queue: [next, count, argc, fn, args of each range...]
const QUEUE_INTS = QUEUE_BYTES / 4;
/** Bytes at the start of the memory that the pool owns: the slots, then the queue. */
export const CONTROL_BYTES = SLOTS_BYTES + QUEUE_BYTES;
/** Ranges per thread a kernel is split into: a thread the OS schedules late finds fewer left, not its fixed share. */
const CHUNKS_PER_THREAD = 4;

/**
 * The worker: an instance over the shared memory, says it is ready, then forever: sleeps until its
 * job word is 1, claims the job (1 → 2; the caller may have taken it back: 1 → 0), takes ranges
 * from the queue until none is left, and says it is done.
 */
const workerSource = `function run({ module, memory, slot, fns }) {
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const table = fns.map((f) => ex[f]);
  const ctl = new Int32Array(memory.buffer, slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
  const q = new Int32Array(memory.buffer, ${SLOTS_BYTES}, ${QUEUE_INTS});
  Atomics.store(ctl, ${READY}, 1); Atomics.notify(ctl, ${READY});
  for (;;) {
    Atomics.wait(ctl, ${JOB}, 0);
    if (Atomics.compareExchange(ctl, ${JOB}, 1, 2) !== 1) continue;
    const [fn, count, argc] = [table[q[3]], q[1], q[2]];
    for (let i = Atomics.add(q, 0, 1); i < count; i = Atomics.add(q, 0, 1)) fn(...q.subarray(4 + i * argc, 4 + (i + 1) * argc));
    Atomics.store(ctl, ${JOB}, 0);
    Atomics.store(ctl, ${DONE}, 1); Atomics.notify(ctl, ${DONE});
  }
}
`;

interface WorkerInit { module: unknown; memory: unknown; slot: number; fns: readonly string[] }
interface Host {
  cores: number;
  spawn(init: WorkerInit): { terminate(): unknown };
  /** Node: the worker starts while the caller waits. A browser: only after the caller yields to its event loop. */
  startsWhileBlocked: boolean;
  /** Work (multiply-adds) below which a kernel stays on one thread by default: where a hand-off stops paying. */
  minThreadWork: number;
}

// The project compiles without the DOM lib; the few browser members used:
interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => { postMessage(m: unknown): void; terminate(): void };
}

// Top-level await: what follows (and the runtime importing this) stays synchronous.
const host: Host | null = await (async () => {
  if (typeof SharedArrayBuffer === 'undefined') return null;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node) {
    try {
      const [wt, os] = await Promise.all([import('node:worker_threads'), import('node:os')]);
      const source = `${workerSource}run(require('node:worker_threads').workerData);`;
      return {
        cores: os.availableParallelism?.() ?? os.cpus().length,
        spawn: (init: WorkerInit) => { const w = new wt.Worker(source, { eval: true, workerData: init }); w.unref(); return w; },
        startsWhileBlocked: true,
        minThreadWork: 1 << 21,
      };
    } catch { return null; }
  }
  const { crossOriginIsolated, navigator, Worker } = globalThis as BrowserGlobals;
  if (crossOriginIsolated !== true || !Worker) return null;
  const url = URL.createObjectURL(new Blob([`${workerSource}self.onmessage = (e) => run(e.data);`], { type: 'text/javascript' }));
  return {
    cores: navigator?.hardwareConcurrency ?? 1,
    spawn: (init: WorkerInit) => { const w = new Worker(url); w.postMessage(init); return w; },
    startsWhileBlocked: false,
    // Measured in Chromium 150 on 2 cores: waking a Web Worker costs more than a Node worker; a 784-64-10 MLP
    // step (6.4M per matmul) ran 0.78× on two threads and a 256×512×256 matmul (2^25) 0.85×, 512×1024×512 1.3×.
    minThreadWork: 1 << 26,
  };
})();

/** Whether workers sharing a memory can run here (the runtime then makes its memory shared). */
export const canShare = host !== null;
/** Whether this thread may block in `Atomics.wait` (a page's main thread may not). */
const canWait = host !== null && (() => {
  try { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); return true; } catch { return false; }
})();

// ---- the pool ---------------------------------------------------------------------------------
interface Shared { module: unknown; memory: { readonly buffer: ArrayBuffer }; kernels: Kernels; shared: boolean }
interface PoolWorker { ctl: Int32Array; ready: boolean; worker: { terminate(): unknown } }

let rt: Shared | null = null;
const workers: PoolWorker[] = [];
let numThreads = 1;

/** Hands the pool the runtime's module and memory; the default thread count is the cores, capped at 4. */
export function initThreads(runtime: Shared): void {
  rt = runtime;
  // capped at 4: more is untested (the machines measured here have 2)
  numThreads = rt.shared && host ? Math.min(Math.max(1, host.cores), 4) : 1;
}

/** Threads the large kernels may split across (the calling thread counts as one), as in PyTorch. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  numThreads = rt?.shared ? Math.min(n, SLOTS_BYTES / (SLOT_INTS * 4)) : 1;
}
export const getNumThreads = (): number => numThreads;
/** The default of the cpu backend's `minThreadWork` on this host. */
export const defaultMinThreadWork = (): number => host?.minThreadWork ?? 1 << 21;
/** Workers started and ready to take ranges (in a browser: none until shortly after the first large kernel). */
export const readyWorkers = (): number => workers.filter(isReady).length;

const isReady = (w: PoolWorker): boolean => (w.ready ||= Atomics.load(w.ctl, READY) === 1);

/** Starts workers up to `n`; in Node, waits until each has its instance. */
function ensureWorkers(n: number): void {
  while (workers.length < n) {
    const slot = workers.length + 1;
    const ctl = new Int32Array(rt!.memory.buffer, slot * SLOT_INTS * 4, SLOT_INTS); // the control block never moves
    Atomics.store(ctl, READY, 0);
    const worker = host!.spawn({ module: rt!.module, memory: rt!.memory, slot, fns: jobFns });
    if (host!.startsWhileBlocked && Atomics.wait(ctl, READY, 0, 10_000) === 'timed-out') {
      void worker.terminate();
      numThreads = workers.length + 1;
      return;
    }
    workers.push({ ctl, ready: false, worker });
  }
}

/**
 * Runs `fn` once per argument list on up to `threads` threads (the calling one counts). The lists
 * go into the queue; a job word per worker goes 0 (idle) → 1 (woken) → 2 (claimed) → 0, and every
 * thread takes lists from the queue until none is left. A worker still at 1 when the queue is empty
 * is taken back, so a worker the OS has not scheduled (a busy machine) costs no waiting; one that
 * claimed is waited for (at most the list it is on). Only workers that have said they are ready
 * are woken: a worker's first store to its slot is then never mistaken for a job's end.
 */
export function parallel(fn: JobFn, argLists: number[][], threads: number): void {
  const k = rt!.kernels[fn] as (...a: number[]) => void;
  const argc = argLists[0].length;
  const team = argLists.length > 1 && threads > 1 && 4 + argLists.length * argc <= QUEUE_INTS ? ready(threads - 1) : [];
  if (team.length === 0) { for (const a of argLists) k(...a); return; }
  const q = new Int32Array(rt!.memory.buffer, SLOTS_BYTES, QUEUE_INTS);
  argLists.forEach((a, i) => q.set(a, 4 + i * argc));
  q[1] = argLists.length;
  q[2] = argc;
  q[3] = jobFns.indexOf(fn);
  Atomics.store(q, 0, 0);
  for (const { ctl } of team) {
    ctl[DONE] = 0;
    Atomics.store(ctl, JOB, 1);
    Atomics.notify(ctl, JOB);
  }
  for (let i = Atomics.add(q, 0, 1); i < argLists.length; i = Atomics.add(q, 0, 1)) k(...argLists[i]);
  for (const { ctl } of team) {
    if (Atomics.compareExchange(ctl, JOB, 1, 0) === 1) continue; // never started: nothing is left for it
    if (canWait) while (Atomics.load(ctl, DONE) === 0) Atomics.wait(ctl, DONE, 0);
    else while (Atomics.load(ctl, DONE) === 0); // a page's main thread: spin (the worker is on its last range)
  }
}

/** Up to `n` ready workers, starting the missing ones (a browser's are ready a little later). */
function ready(n: number): PoolWorker[] {
  if (!rt?.shared) return [];
  ensureWorkers(n);
  const out: PoolWorker[] = [];
  for (const w of workers) if (out.length < n && isReady(w)) out.push(w);
  return out;
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
