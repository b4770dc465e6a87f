/**
 * Per-backend switches for the accelerated kernels. The defaults are what `cpu` uses; tests
 * register more backends with other settings (WebAssembly off, one thread, thresholds at 0 so the
 * conformance suite's small fixtures take the WebAssembly and threaded paths).
 */
import { wasmEnabled } from './runtime.js';
import { defaultMinThreadWork, getNumThreads } from './threads.js';

export interface CpuOptions {
  /** Registered name (default 'cpu'). */
  name?: string;
  /** Use the WebAssembly SIMD kernels where they apply (default true; `setWasm(false)` wins). */
  wasm?: boolean;
  /** At most this many threads per kernel (default: `setNumThreads`, itself the cores, capped). */
  threads?: number;
  /** A float32 matmul of fewer multiply-adds (M·N·K) than this stays in TypeScript (default 4096). */
  minWasmMatmul?: number;
  /** An elementwise or softmax kernel on fewer elements than this stays in TypeScript (default 2048). */
  minWasmElements?: number;
  /** Work (multiply-adds, or elements × 16 for elementwise) below which a kernel stays on one thread (default 2^21 in Node, 2^26 in a browser). */
  minThreadWork?: number;
}

export interface Config { wasm: boolean; threads: number; minWasmMatmul: number; minWasmElements: number; minThreadWork: number }

export function resolve(o: CpuOptions): () => Config {
  return () => ({
    wasm: o.wasm !== false && wasmEnabled(),
    threads: Math.min(o.threads ?? Infinity, getNumThreads()),
    minWasmMatmul: o.minWasmMatmul ?? 4096,
    minWasmElements: o.minWasmElements ?? 2048,
    minThreadWork: o.minThreadWork ?? defaultMinThreadWork(),
  });
}

/** How many threads a kernel of `work` units should use. */
export const threadsFor = (cfg: Config, work: number): number => (work >= cfg.minThreadWork ? cfg.threads : 1);
