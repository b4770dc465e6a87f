/**
 * The training worker: the digits, the model, the optimiser and every tensor live here, so the page's
 * main thread never waits on a kernel or a GPU read. Each step runs inside `tidy` (GPU memory stays
 * flat); results come back through `await t.dataAsync()`, and value checks (label ranges) are
 * deferred to that read instead of each reading back at its op.
 */
import { getNumThreads, setNumThreads, wasmInfo } from '@graft/backend-cpu';
import '@graft/backend-gpu'; // registers 'gpu': WebGL2 on the worker's OffscreenCanvas
import type { GpuBackend } from '@graft/backend-gpu';
import { fromTyped, Generator, getBackend, manualSeed, nn, noGrad, setBackend, setCheckMode, type Tensor, tidy } from '@graft/core';
import { registry } from '@graft/losses';
import { Adam } from '@graft/optim';
import { mlp } from '../../lib/mlp.js';
import { loadMnist, type Split } from '../../lib/mnist.js';
import { classificationLosses } from './losses.js';
import type { BackendInfo, BackendName, ForwardResult, Reply, Request, TrainOptions, TrainResult } from './protocol.js';

// A label-range check is then read with the loss, not as a read of its own before the step's kernels.
setCheckMode('deferred');

const post = (reply: Reply): void => self.postMessage(reply);

// A macrotask boundary without setTimeout's clamping: lets a 'stop' message in between steps.
const channel = new MessageChannel();
const nextTask = (): Promise<void> => new Promise((resolve) => { channel.port1.onmessage = () => resolve(); channel.port2.postMessage(null); });

const digits = loadMnist(); // 9,001 training and 999 test digits, on 'cpu'
// The training digits stay on the host: each batch is gathered here and uploaded, one copy per step.
const hostTrain = { pixels: await digits.train.x.dataAsync(), labels: await digits.train.y.dataAsync() };
const losses = classificationLosses(registry.list()).map((e) => e.id);
post({ type: 'ready', losses, train: digits.train.y.size, test: digits.test.y.size });

let stopped = false;
const defaultThreads = getNumThreads();
let lastModel: nn.Sequential | undefined;

function backendInfo(name: BackendName): BackendInfo {
  if (name === 'gpu') {
    const gpu = getBackend('gpu') as GpuBackend;
    return { name, mode: gpu.mode, renderer: gpu.renderer, software: gpu.software };
  }
  const w = wasmInfo();
  return {
    name, mode: w.enabled ? (w.relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd') : 'typescript',
    sharedMemory: w.sharedMemory, threads: w.threads, workers: w.workers,
  };
}

const on = (s: Split, backend: BackendName): Split => ({ x: s.x.to(backend), y: s.y.to(backend) });

/** Fraction of the test digits whose largest logit is at the label. */
async function testAccuracy(model: nn.Sequential, test: Split): Promise<number> {
  const acc = tidy(() => noGrad(() => {
    model.eval();
    const a = (model(test.x) as Tensor).argmax(1).eq(test.y).float().mean();
    model.train();
    return a;
  }));
  const [v] = await acc.dataAsync();
  acc.dispose();
  return v;
}

async function train(id: number, o: TrainOptions): Promise<TrainResult> {
  setBackend(o.backend);
  setNumThreads(o.threads ?? defaultThreads);
  const backend = backendInfo(o.backend);
  post({ type: 'backend', id, info: backend });
  const lossFn = registry.get(o.loss).fn;
  manualSeed(o.seed);
  const model = mlp([784, ...o.hidden, 10]);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const test = on(digits.test, o.backend);
  const shuffle = new Generator(o.seed);
  const n = hostTrain.labels.length;
  const result: TrainResult = { options: o, backend, losses: [], evals: [], accuracy: NaN, seconds: 0, firstStepSeconds: 0 };
  const start = performance.now();
  stopped = false;
  try {
    let order: Int32Array = new Int32Array(0);
    let at = 0;
    for (let step = 1; step <= o.steps && !stopped; step++) {
      if (at + o.batchSize > order.length) [order, at] = [permutation(n, shuffle), 0]; // a new epoch; a short last batch is dropped
      const batch = order.subarray(at, (at += o.batchSize));
      const loss = tidy(() => {
        const [x, y] = hostBatch(batch, o.backend);
        optimizer.zeroGrad();
        const l = lossFn(model(x) as Tensor, y);
        l.backward();
        optimizer.step(); // the gradients outlive the tidy (they belong to their parameters) until the next zeroGrad
        return l.detach();
      });
      const [value] = await loss.dataAsync();
      loss.dispose();
      if (step === 1) result.firstStepSeconds = (performance.now() - start) / 1000;
      result.losses.push(value);
      post({ type: 'step', id, step, loss: value });
      if (step % o.evalEvery === 0 || step === o.steps) {
        const accuracy = await testAccuracy(model, test);
        result.evals.push({ step, accuracy });
        post({ type: 'eval', id, step, accuracy });
      }
      await nextTask();
    }
    result.seconds = (performance.now() - start) / 1000;
    result.accuracy = result.evals.at(-1)?.accuracy ?? NaN;
    result.backend = backendInfo(o.backend); // cpu: with the workers that started during the run
    if (o.backend === 'gpu') result.gpuStats = (getBackend('gpu') as GpuBackend).stats();
    lastModel = model;
    return result;
  } finally {
    if (o.backend !== 'cpu') for (const t of [test.x, test.y]) t.dispose();
  }
}

/** Rows `rows` of the training digits as tensors on `backend`: pixels [n, 784] and labels [n]. */
function hostBatch(rows: Int32Array, backend: BackendName): [Tensor, Tensor] {
  const x = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => x.set(hostTrain.pixels.subarray(r * 784, (r + 1) * 784), i * 784));
  const y = Int32Array.from(rows, (r) => hostTrain.labels[r]);
  return [fromTyped(x, [rows.length, 784], { backend }), fromTyped(y, [rows.length], { dtype: 'int32', backend })];
}

/** A seeded permutation of 0..n−1 (Fisher–Yates on graft's generator). */
function permutation(n: number, g: Generator): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** The last trained model (else a seeded 784-64-10 one) on the first `rows` test digits, on 'cpu' and on 'gpu'. */
async function forward(rows: number): Promise<ForwardResult> {
  if (!lastModel) manualSeed(0);
  const model = lastModel ?? mlp([784, 64, 10]).to('cpu');
  const x = digits.test.x.narrow(0, 0, rows);
  const logitsOn = async (backend: BackendName): Promise<number[]> => {
    model.to(backend);
    const logits = tidy(() => noGrad(() => model.eval()(x.to(backend)) as Tensor));
    model.train();
    const values = Array.from(await logits.dataAsync());
    logits.dispose();
    return values;
  };
  const cpu = await logitsOn('cpu');
  const gpu = await logitsOn('gpu');
  return { shape: [rows, 10], cpu, gpu, gpuInfo: backendInfo('gpu') };
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const req = event.data;
  if (req.type === 'stop') { stopped = true; return; }
  try {
    const result = req.type === 'train' ? await train(req.id, req.options) : await forward(req.rows);
    post({ type: 'done', id: req.id, result });
  } catch (e) {
    post({ type: 'error', id: req.id, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
