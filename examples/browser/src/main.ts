/**
 * The page: a form, a live chart and the worker that trains (worker.ts). The main thread holds no
 * tensor: it sends options and draws the numbers the worker posts back (each read there with
 * `await t.dataAsync()`), so the page stays responsive on either backend.
 *
 * Test hooks (examples/browser/test/browser.test.ts): `window.graftPage.train(options)` runs what
 * the Train button runs, with these options, and resolves with the result; `forward(rows)` gives the
 * logits of one model on both backends.
 */
import { drawCurve } from './plot.js';
import type { BackendInfo, ForwardResult, Reply, Request, TrainOptions, TrainResult } from './protocol.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = $<HTMLFormElement>('controls');
const field = {
  backend: $<HTMLSelectElement>('backend'),
  loss: $<HTMLSelectElement>('loss'),
  steps: $<HTMLInputElement>('steps'),
  batchSize: $<HTMLInputElement>('batchSize'),
  lr: $<HTMLInputElement>('lr'),
  hidden: $<HTMLInputElement>('hidden'),
};
const [trainButton, stopButton] = [$<HTMLButtonElement>('train'), $<HTMLButtonElement>('stop')];
const status = $('status');
const canvas = $<HTMLCanvasElement>('curve');

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
let nextId = 1;
const pending = new Map<number, { resolve: (r: TrainResult | ForwardResult) => void; reject: (e: Error) => void }>();
let chart = { losses: [] as number[], evals: [] as { step: number; accuracy: number }[], steps: 1 };
let drawQueued = false;

const ready = new Promise<{ losses: string[] }>((resolve, reject) => {
  worker.onerror = (e) => { setStatus(`The worker failed to start: ${e.message}`, true); reject(new Error(e.message)); };
  worker.onmessage = (event: MessageEvent<Reply>) => {
    const m = event.data;
    switch (m.type) {
      case 'ready': {
        field.loss.replaceChildren(...m.losses.map((id) => new Option(id, id, id === 'cross-entropy', id === 'cross-entropy')));
        trainButton.disabled = false;
        setStatus(`${m.train} training and ${m.test} test digits loaded; ${m.losses.length} losses of the registry take (logits [N, 10], labels [N]).`);
        resolve({ losses: m.losses });
        break;
      }
      case 'backend': showBackend(m.info); break;
      case 'step': {
        chart.losses.push(m.loss);
        $('step').textContent = `${m.step} / ${chart.steps}`;
        $('loss-value').textContent = m.loss.toFixed(4);
        redraw();
        break;
      }
      case 'eval': {
        chart.evals.push({ step: m.step, accuracy: m.accuracy });
        $('accuracy').textContent = `${(100 * m.accuracy).toFixed(2)}%`;
        redraw();
        break;
      }
      case 'done': pending.get(m.id)?.resolve(m.result); pending.delete(m.id); break;
      case 'error': pending.get(m.id)?.reject(new Error(m.message)); pending.delete(m.id); break;
      default: m satisfies never;
    }
  };
});

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.className = error ? 'error' : 'muted';
}

function showBackend(info: BackendInfo): void {
  $('backend-info').textContent = info.name === 'gpu'
    ? `gpu backend: gpu.js mode ${info.mode}, renderer ${info.renderer}${info.software ? ' (a software rasteriser: not GPU timings)' : ''}`
    : `cpu backend: ${info.mode} kernels, ${info.threads} thread${info.threads === 1 ? '' : 's'}`
      + (info.sharedMemory ? '' : ' (the page is not cross-origin isolated: no shared memory for workers)');
}

function redraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => { drawQueued = false; drawCurve(canvas, chart); });
}

function request<R extends TrainResult | ForwardResult>(req: Request): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    pending.set(req.id, { resolve: resolve as (r: TrainResult | ForwardResult) => void, reject });
    worker.postMessage(req);
  });
}

function formOptions(): TrainOptions {
  return {
    backend: field.backend.value === 'gpu' ? 'gpu' : 'cpu',
    loss: field.loss.value,
    steps: Number(field.steps.value),
    batchSize: Number(field.batchSize.value),
    lr: Number(field.lr.value),
    hidden: field.hidden.value.split(',').map((s) => s.trim()).filter(Boolean).map(Number),
    evalEvery: Math.max(1, Math.round(Number(field.steps.value) / 10)),
    seed: 0,
  };
}

/** What the Train button runs: the form's options (after `overrides`, written back into the form). */
async function train(overrides: Partial<TrainOptions> = {}): Promise<TrainResult> {
  await ready;
  if (pending.size) throw new Error('a run is in progress');
  const { backend, loss, steps, batchSize, lr, hidden } = overrides;
  if (backend !== undefined) field.backend.value = backend;
  if (loss !== undefined) field.loss.value = loss;
  if (steps !== undefined) field.steps.value = String(steps);
  if (batchSize !== undefined) field.batchSize.value = String(batchSize);
  if (lr !== undefined) field.lr.value = String(lr);
  if (hidden !== undefined) field.hidden.value = hidden.join(',');
  const options = { ...formOptions(), ...overrides };
  chart = { losses: [], evals: [], steps: options.steps };
  $('accuracy').textContent = '–';
  redraw();
  [trainButton.disabled, stopButton.disabled] = [true, false];
  setStatus(`Training on ${options.backend} with ${options.loss}…`);
  try {
    const r = await request<TrainResult>({ id: nextId++, type: 'train', options });
    setStatus(`${r.losses.length} steps in ${r.seconds.toFixed(1)} s on ${r.backend.name} (${r.backend.mode}); test accuracy ${(100 * r.accuracy).toFixed(2)}%.`);
    return r;
  } catch (e) {
    setStatus(String((e as Error).message), true);
    throw e;
  } finally {
    [trainButton.disabled, stopButton.disabled] = [false, true];
  }
}

/** Logits of the last trained model (else a seeded one) on the first `rows` test digits, computed on 'cpu' and on 'gpu'. */
async function forward(rows = 256): Promise<ForwardResult> {
  await ready;
  return request<ForwardResult>({ id: nextId++, type: 'forward', rows });
}

form.addEventListener('submit', (e) => { e.preventDefault(); train().catch(() => {}); });
stopButton.addEventListener('click', () => worker.postMessage({ id: 0, type: 'stop' } satisfies Request));
drawCurve(canvas, chart);

declare global {
  interface Window { graftPage: { ready: Promise<{ losses: string[] }>; train: typeof train; forward: typeof forward } }
}
window.graftPage = { ready, train, forward };
