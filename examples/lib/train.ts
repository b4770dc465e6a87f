/**
 * The training loop every example shares: a DataLoader with a seeded shuffle, a `cli-progress` bar
 * per epoch (on stderr, drawn only on a terminal), one line per epoch, and evaluation in batches.
 */
import cliProgress from 'cli-progress';
import { cat, DataLoader, noGrad, TensorDataset, type nn, type Tensor } from '@graft/core';
import { SAM, type LRScheduler, type Optimizer } from '@graft/optim';
import type { Split } from './mnist.js';

export interface FitOptions {
  /** Shown before each epoch's bar and line. */
  label: string;
  model: nn.Module;
  optimizer: Optimizer | SAM<Optimizer>;
  /** The objective of a batch; `epoch` is 0-based (for schedules such as DRW). */
  loss: (logits: Tensor, y: Tensor, epoch: number) => Tensor;
  train: Split;
  epochs: number;
  batchSize?: number;
  /** Stepped once per batch. */
  scheduler?: LRScheduler;
  /** Called after each epoch; its numbers go into that epoch's line and history row. */
  evaluate?: (epoch: number) => Record<string, number>;
  /** Applied to each training batch's inputs (e.g. randomShift). */
  augment?: (x: Tensor) => Tensor;
  /** Print one line per epoch (default true). */
  verbose?: boolean;
}

export interface EpochRow { epoch: number; loss: number; seconds: number; [metric: string]: number }

/** Trains in place and returns one row per epoch: mean training loss, seconds, and `evaluate`'s numbers. */
export function fit({ label, model, optimizer, loss, train, epochs, batchSize = 64, scheduler, evaluate, augment, verbose = true }: FitOptions): EpochRow[] {
  // TensorDataset batches with one indexSelect per tensor; the shuffle draws from graft's seeded generator.
  const loader = new DataLoader(new TensorDataset(train.x, train.y), { batchSize, shuffle: true });
  const history: EpochRow[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const start = performance.now();
    const bar = new cliProgress.SingleBar({
      format: `${label} epoch ${epoch + 1}/${epochs} [{bar}] {value}/{total} batches  loss {loss}  {duration_formatted}`,
      clearOnComplete: true,
      hideCursor: true,
    }, cliProgress.Presets.shades_classic);
    bar.start(loader.length, 0, { loss: '-' });
    model.train();
    let lossSum = 0;
    let seen = 0;
    for (const [batch, y] of loader as Iterable<[Tensor, Tensor]>) {
      const x = augment ? augment(batch) : batch;
      const objective = (): Tensor => loss(model(x), y, epoch);
      optimizer.zeroGrad();
      const l = objective();
      l.backward(); // the gradient at w
      if (optimizer instanceof SAM) optimizer.step(() => { const l2 = objective(); l2.backward(); return l2; }); // again at w + e, then step
      else optimizer.step();
      scheduler?.step();
      const value = l.item();
      lossSum += value * y.size;
      seen += y.size;
      bar.increment(1, { loss: (lossSum / seen).toFixed(4) });
    }
    bar.stop();
    const metrics = evaluate?.(epoch) ?? {};
    const row: EpochRow = { epoch: epoch + 1, loss: lossSum / seen, seconds: (performance.now() - start) / 1000, ...metrics };
    history.push(row);
    if (verbose) {
      const extra = Object.entries(metrics).map(([k, v]) => `${k} ${fmtMetric(v)}`).join('  ');
      console.log(`${label} epoch ${String(epoch + 1).padStart(2)}  loss ${row.loss.toFixed(4)}  ${extra}  ${row.seconds.toFixed(1)} s`);
    }
  }
  return history;
}

const fmtMetric = (v: number): string => (v >= 0 && v <= 1 ? pct(v) : v.toFixed(4));

/** Logits of `x` in eval mode (no dropout, BatchNorm's running statistics), batch by batch, without a graph. */
export function predict(model: nn.Module, x: Tensor, batchSize = 500): Tensor {
  const wasTraining = model.training;
  model.eval();
  const n = x.shape[0];
  const parts: Tensor[] = [];
  noGrad(() => {
    for (let i = 0; i < n; i += batchSize) parts.push(model(x.narrow(0, i, Math.min(batchSize, n - i))) as Tensor);
  });
  model.train(wasTraining);
  return parts.length === 1 ? parts[0] : cat(parts, 0);
}

/** Fraction of rows whose largest logit is at the label. */
export const accuracy = (logits: Tensor, y: Tensor): number => logits.argmax(1).eq(y).float().mean().item();

/** Recall of each class (fraction of its rows predicted as it). */
export function perClassRecall(logits: Tensor, y: Tensor, numClasses = 10): number[] {
  const pred = logits.argmax(1).data();
  const labels = y.data();
  const hit = new Array<number>(numClasses).fill(0);
  const total = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    total[labels[i]]++;
    if (pred[i] === labels[i]) hit[labels[i]]++;
  }
  return hit.map((h, k) => (total[k] ? h / total[k] : NaN));
}

/** Mean per-class recall: the accuracy on a class-balanced test set. */
export const balancedAccuracy = (logits: Tensor, y: Tensor, numClasses = 10): number =>
  mean(perClassRecall(logits, y, numClasses));

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n − 1), 0 for a single value. */
export function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}
export const pct = (f: number, digits = 2): string => `${(100 * f).toFixed(digits)}%`;
/** "97.12 ± 0.31%" (mean ± sample standard deviation, in percent). */
export const pctSpread = (xs: readonly number[], digits = 2): string =>
  xs.length > 1 ? `${(100 * mean(xs)).toFixed(digits)} ± ${(100 * std(xs)).toFixed(digits)}%` : pct(xs[0], digits);
