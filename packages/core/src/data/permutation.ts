/** Seeded index permutations for shuffling and splitting. */
import type { Generator } from '../random.js';

/** A uniformly random permutation of 0..n−1 (Fisher–Yates) drawn from `g`. */
export function permutation(n: number, g: Generator): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
