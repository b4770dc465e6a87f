/** Splitting a dataset at random (PyTorch's random_split). */
import { ArgumentError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { type Dataset, Subset } from './dataset.js';
import { permutation } from './permutation.js';

/**
 * Non-overlapping random subsets of the given lengths, or of fractions that sum to 1 (each
 * floor(f·n), the remainder handed out one by one from the first, as PyTorch).
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], { generator = defaultGenerator }: { generator?: Generator } = {}): Subset<T>[] {
  const n = dataset.length;
  let sizes = [...lengths];
  const fractions = sizes.every((f) => f >= 0 && f <= 1) && Math.abs(sizes.reduce((a, b) => a + b, 0) - 1) < 1e-9 && sizes.reduce((a, b) => a + b, 0) !== n;
  if (fractions) {
    sizes = sizes.map((f) => Math.floor(f * n));
    const rest = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rest; i++) sizes[i % sizes.length]++;
  }
  if (!sizes.every((s) => Number.isInteger(s) && s >= 0) || sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new ArgumentError('randomSplit', `sum of input lengths does not equal the length of the input dataset (${n}), got ${JSON.stringify(lengths)}`);
  }
  const order = permutation(n, generator);
  let start = 0;
  return sizes.map((s) => new Subset(dataset, order.slice(start, (start += s))));
}
