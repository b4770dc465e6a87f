/**
 * The conformance page: core's backend suite (`runConformance('gpu')`, as
 * packages/backend-gpu/test/conformance.test.ts calls it, with the op table's 'gpu' skips) run
 * against WebGL2 in this browser, not Node's headless-gl. Results: `window.graftConformance`.
 * `?cases=<substring>` keeps only the fixture cases whose name contains it. First, backend-cpu's
 * threads on this main thread (`cpu` in the results): see `cpuOnMainThread`.
 */
import { getNumThreads, setNumThreads, wasmInfo } from '@graft/backend-cpu';
import '@graft/backend-gpu';
import type { GpuBackend } from '@graft/backend-gpu';
import { Generator, getBackend, randn } from '@graft/core';
import { runConformance } from '@graft/core/testing';
import { type RunSummary, runCollected } from './vitest-shim.js';

type CpuCheck = ReturnType<typeof wasmInfo> & { same: boolean; ms: { threads: number; one: number } };
interface PageResult extends Partial<RunSummary> { backend?: { mode: string; renderer: string; software: boolean }; cpu?: CpuCheck; error?: string }
declare global { interface Window { graftConformance: PageResult } }

const text = (id: string, value: string) => { document.getElementById(id)!.textContent = value; };

/**
 * A page's main thread may not block in Atomics.wait, so backend-cpu spins there for its workers.
 * A 512×1024×512 matmul (threaded) starts them; once they are ready (they start after this thread
 * yields), the same matmul on all threads and on one must agree bit for bit (`ms`: its time on each, best of 5).
 */
async function cpuOnMainThread(): Promise<CpuCheck> {
  const g = new Generator(1);
  const [a, b] = [randn([512, 1024], { backend: 'cpu', generator: g }), randn([1024, 512], { backend: 'cpu', generator: g })];
  a.matmul(b).dispose();
  for (let i = 0; i < 250 && wasmInfo().workers < wasmInfo().threads - 1; i++) await new Promise((r) => setTimeout(r, 20));
  const timed = async (): Promise<[Float32Array, number]> => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) { const t = performance.now(); a.matmul(b).dispose(); best = Math.min(best, performance.now() - t); }
    return [await a.matmul(b).dataAsync() as Float32Array, best];
  };
  const [split, ms] = await timed();
  const threads = getNumThreads();
  setNumThreads(1);
  const [one, ms1] = await timed();
  setNumThreads(threads);
  return { ...wasmInfo(), same: split.every((v, i) => v === one[i]), ms: { threads: ms, one: ms1 } };
}

window.graftConformance = { done: false };
try {
  const cpu = await cpuOnMainThread();
  const gpu = getBackend('gpu') as GpuBackend; // the page's default mode: WebGL2 where the browser has it
  const backend = { mode: gpu.mode, renderer: gpu.renderer, software: gpu.software };
  text('backend', `gpu backend: gpu.js mode ${backend.mode}, renderer ${backend.renderer}`);
  const only = new URLSearchParams(location.search).get('cases');
  runConformance('gpu', only ? { cases: (c) => c.name.includes(only) } : {});
  await runCollected((s) => {
    window.graftConformance = { ...s, backend, cpu, failures: s.failures.slice(0, 50) };
    text('counts', `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${s.total} (${s.seconds.toFixed(1)} s)${s.done ? '' : '…'}`);
    text('failures', s.failures.slice(0, 50).map((f) => `✗ ${f.name}\n  ${f.message}`).join('\n'));
  });
} catch (e) {
  window.graftConformance = { done: true, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  text('backend', window.graftConformance.error!);
}
