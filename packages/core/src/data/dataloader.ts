/** DataLoader: a dataset in (optionally shuffled) mini-batches, PyTorch's defaults. */
import { ArgumentError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { permutation } from './permutation.js';

export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** A new random order every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Makes a batch from a list of items (default: defaultCollate, or the dataset's own getBatch). */
  collate?: (items: T[]) => B;
  /** Source of the shuffles (default: the seeded default generator, see manualSeed). */
  generator?: Generator;
}

/**
 * Iterates `dataset` in batches: `for (const [x, y] of loader) ...`, one epoch per iteration.
 * Each epoch draws a fresh order when shuffling, so reseeding (manualSeed or `generator`) repeats
 * the sequence of epochs exactly.
 */
export class DataLoader<T, B = any> implements Iterable<B> { // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly collate?: (items: T[]) => B;
  private readonly generator: Generator;
  constructor(readonly dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false, collate, generator = defaultGenerator } = opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError('DataLoader', `batchSize must be a positive integer, got ${batchSize}`);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collate = collate;
    this.generator = generator;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The batches' index lists for one epoch (PyTorch's BatchSampler over a random or sequential sampler). */
  batchIndices(): number[][] {
    const n = this.dataset.length;
    const order = this.shuffle ? permutation(n, this.generator) : Array.from({ length: n }, (_, i) => i);
    const batches: number[][] = [];
    for (let i = 0; i < n; i += this.batchSize) batches.push(order.slice(i, i + this.batchSize));
    if (this.dropLast && batches.length && batches[batches.length - 1].length < this.batchSize) batches.pop();
    return batches;
  }

  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.batchIndices()) {
      if (!this.collate && this.dataset.getBatch) yield this.dataset.getBatch(indices) as unknown as B;
      else yield (this.collate ?? defaultCollate)(indices.map((i) => this.dataset.get(i)));
    }
  }
}
