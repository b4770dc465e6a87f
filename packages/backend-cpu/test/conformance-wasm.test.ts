// The conformance suite on the CPU backend's other paths (conformance.test.ts runs the default
// 'cpu'): WebAssembly forced on for every float32 size, once on two threads (every kernel split,
// however small) and once on one; and WebAssembly off, the plain TypeScript kernels.
import { createCpuBackend, setNumThreads, wasmInfo } from '@graft/backend-cpu';
import { registerBackend } from '@graft/core';
import { runConformance } from '@graft/core/testing';
import { expect, test } from 'vitest';

const forced = { minWasmMatmul: 0, minWasmElements: 0, minThreadWork: 0 };
setNumThreads(2);
registerBackend('cpu-wasm-2t', () => createCpuBackend({ name: 'cpu-wasm-2t', ...forced, threads: 2 }));
registerBackend('cpu-wasm-1t', () => createCpuBackend({ name: 'cpu-wasm-1t', ...forced, threads: 1 }));
registerBackend('cpu-js', () => createCpuBackend({ name: 'cpu-js', wasm: false }));

test('the WebAssembly kernels are built and run here, with shared memory for two threads', () => {
  expect(wasmInfo()).toMatchObject({ available: true, enabled: true, sharedMemory: true, threads: 2 });
});

runConformance('cpu-wasm-2t');
runConformance('cpu-wasm-1t');
runConformance('cpu-js');
