/**
 * The WebAssembly side of the CPU backend: one instance of wasm/kernels.wat over one memory, a
 * scratch arena in that memory, and (threads.ts) a pool of workers sharing it, where the host has
 * them: Node's worker_threads, or Web Workers in a cross-origin isolated browser page or worker.
 *
 * Start-up picks the best variant this runtime validates: relaxed SIMD (fused multiply-add) over
 * plain SIMD, shared memory (workers possible) over unshared (a browser without cross-origin
 * isolation has no SharedArrayBuffer: one thread, no error). No SIMD at all: the plain
 * TypeScript kernels run, as they do after `setWasm(false)` or with GRAFT_WASM=0.
 *
 * Kernels are synchronous, as the backend contract is: operands are copied into the arena after
 * the pool's control block, and the work is split into row ranges that every thread, the calling
 * one included, takes from a queue (threads.ts says how).
 */
import * as binaries from './binaries.gen.js';
import { canShare, CONTROL_BYTES, getNumThreads, initThreads, readyWorkers } from './threads.js';

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

const PAGE = 65536;
const MAX_PAGES = 32768; // 2 GiB: the arena grows on demand up to this

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
  for (const shared of canShare ? [true, false] : [false]) for (const relaxed of [true, false]) {
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
if (rt) initThreads(rt);
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
let enabled = rt !== null && env.GRAFT_WASM !== '0';

/**
 * What start-up found: whether the SIMD kernels run, with relaxed-SIMD FMA, over shared memory;
 * the threads a large kernel may use (`setNumThreads`), and the workers started and ready so far
 * (none before the first large kernel; a browser's start a little after it).
 */
export function wasmInfo(): { available: boolean; enabled: boolean; relaxedSimd: boolean; sharedMemory: boolean; threads: number; workers: number } {
  return {
    available: rt !== null, enabled, relaxedSimd: rt?.relaxed ?? false, sharedMemory: rt?.shared ?? false,
    threads: getNumThreads(), workers: readyWorkers(),
  };
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
