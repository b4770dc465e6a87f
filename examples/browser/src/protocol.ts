/** The messages between the page (main.ts) and the training worker (worker.ts). */

export type BackendName = 'cpu' | 'gpu';

export interface TrainOptions {
  backend: BackendName;
  /** A registry id whose entry takes (logits [N, C], labels int [N]) (default 'cross-entropy'). */
  loss: string;
  /** Optimiser steps (batches), across epochs as needed. */
  steps: number;
  batchSize: number;
  /** Adam's learning rate. */
  lr: number;
  /** Hidden widths of the MLP: 784 → …hidden → 10, ReLU between. */
  hidden: number[];
  /** Test accuracy is measured every this many steps, and after the last. */
  evalEvery: number;
  /** Seeds the weights and the shuffle. */
  seed: number;
  /** cpu: threads for the large kernels (default: the runtime's, navigator.hardwareConcurrency capped at 4). */
  threads?: number;
}

/** What a backend reports about itself: for 'gpu', gpu.js's mode and the GL renderer string. */
export interface BackendInfo {
  name: BackendName;
  /** 'webgl2' | 'webgl' (gpu), 'wasm-simd' | 'typescript' (cpu). */
  mode: string;
  renderer?: string;
  software?: boolean;
  /**
   * cpu (backend-cpu's `wasmInfo()`): whether the WebAssembly memory is shared (the page is
   * cross-origin isolated), the threads a large kernel may use, and the Web Workers ready so far.
   */
  sharedMemory?: boolean;
  threads?: number;
  workers?: number;
}

export interface TrainResult {
  options: TrainOptions;
  /** As reported after the run (cpu: the workers that started during it). */
  backend: BackendInfo;
  /** The training loss of every step. */
  losses: number[];
  evals: { step: number; accuracy: number }[];
  /** Test accuracy after the last step (999 held-out digits). */
  accuracy: number;
  /** Wall time of the steps and evaluations (seconds), and of the first step alone (kernel compilation on the GPU). */
  seconds: number;
  firstStepSeconds: number;
  /** The gpu backend's counters after the run (kernel launches, compilations, host reads), for 'gpu'. */
  gpuStats?: { kernels: number; compiles: number; launches: number; reads: number; liveTextures: number };
}

/** Logits of the same model on the same test digits, computed on both backends. */
export interface ForwardResult {
  shape: number[];
  cpu: number[];
  gpu: number[];
  gpuInfo: BackendInfo;
}

export type Request =
  | { id: number; type: 'train'; options: TrainOptions }
  | { id: number; type: 'forward'; rows: number }
  | { id: number; type: 'stop' };

export type Reply =
  | { type: 'ready'; losses: string[]; train: number; test: number }
  | { type: 'backend'; id: number; info: BackendInfo }
  | { type: 'step'; id: number; step: number; loss: number }
  | { type: 'eval'; id: number; step: number; accuracy: number }
  | { type: 'done'; id: number; result: TrainResult | ForwardResult }
  | { type: 'error'; id: number; message: string };
