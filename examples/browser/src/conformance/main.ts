/**
 * The conformance page: core's backend suite (`runConformance('gpu')`, as
 * packages/backend-gpu/test/conformance.test.ts calls it, with the op table's 'gpu' skips) run
 * against WebGL2 in this browser, not Node's headless-gl. Results: `window.graftConformance`.
 * `?cases=<substring>` keeps only the fixture cases whose name contains it.
 */
import '@graft/backend-cpu';
import '@graft/backend-gpu';
import type { GpuBackend } from '@graft/backend-gpu';
import { getBackend } from '@graft/core';
import { runConformance } from '@graft/core/testing';
import { type RunSummary, runCollected } from './vitest-shim.js';

interface PageResult extends Partial<RunSummary> { backend?: { mode: string; renderer: string; software: boolean }; error?: string }
declare global { interface Window { graftConformance: PageResult } }

const text = (id: string, value: string) => { document.getElementById(id)!.textContent = value; };
window.graftConformance = { done: false };
try {
  const gpu = getBackend('gpu') as GpuBackend; // the page's default mode: WebGL2 where the browser has it
  const backend = { mode: gpu.mode, renderer: gpu.renderer, software: gpu.software };
  text('backend', `gpu backend: gpu.js mode ${backend.mode}, renderer ${backend.renderer}`);
  const only = new URLSearchParams(location.search).get('cases');
  runConformance('gpu', only ? { cases: (c) => c.name.includes(only) } : {});
  await runCollected((s) => {
    window.graftConformance = { ...s, backend, failures: s.failures.slice(0, 50) };
    text('counts', `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${s.total} (${s.seconds.toFixed(1)} s)${s.done ? '' : '…'}`);
    text('failures', s.failures.slice(0, 50).map((f) => `✗ ${f.name}\n  ${f.message}`).join('\n'));
  });
} catch (e) {
  window.graftConformance = { done: true, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  text('backend', window.graftConformance.error!);
}
