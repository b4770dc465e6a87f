/**
 * Stable sort along an axis (torch.sort(stable=True)): values and int32 source indices.
 * NaNs go last ascending and first descending, in their original order; equal values (including
 * -0 and +0) keep their original order in both directions. Each line is copied into a float64
 * key array and its index permutation is merge-sorted (stable, O(n log n), no comparator calls).
 */
import { arrayFor, asLine, isDense, lines, numel, type TypedArray } from '@graft/core/backend-kit';
import { contiguous } from './elementwise.js';
import type { CpuView } from './strided.js';

/**
 * Sorts perm[lo, hi) by keys[perm[·]] using tmp as scratch; stable. `desc` flips the order but a
 * tie still takes the left (earlier) element first.
 */
function mergeSort(keys: Float64Array, perm: Int32Array, tmp: Int32Array, lo: number, hi: number, desc: boolean): void {
  if (hi - lo <= 16) {
    // Insertion sort: shift only past strictly out-of-order elements, which keeps it stable.
    for (let i = lo + 1; i < hi; i++) {
      const p = perm[i];
      const v = keys[p];
      let j = i - 1;
      while (j >= lo && (desc ? keys[perm[j]] < v : keys[perm[j]] > v)) {
        perm[j + 1] = perm[j];
        j--;
      }
      perm[j + 1] = p;
    }
    return;
  }
  const mid = (lo + hi) >>> 1;
  mergeSort(keys, perm, tmp, lo, mid, desc);
  mergeSort(keys, perm, tmp, mid, hi, desc);
  if (desc ? keys[perm[mid - 1]] >= keys[perm[mid]] : keys[perm[mid - 1]] <= keys[perm[mid]]) return; // already in order
  for (let i = lo; i < hi; i++) tmp[i] = perm[i];
  let i = lo;
  let j = mid;
  for (let k = lo; k < hi; k++) {
    // Take from the right run only when it is strictly ahead: ties go to the left run (stability).
    const takeRight = j < hi && (i >= mid || (desc ? keys[tmp[j]] > keys[tmp[i]] : keys[tmp[j]] < keys[tmp[i]]));
    perm[k] = takeRight ? tmp[j++] : tmp[i++];
  }
}

export function sort(x0: CpuView, axis: number, descending: boolean): { values: TypedArray; indices: TypedArray } {
  const x = asLine(x0);
  const dense = isDense(x);
  const data = dense ? x.buffer : contiguous(x);
  const base = dense ? x.offset : 0;
  const n = numel(x.shape);
  const values = arrayFor(x.dtype, n);
  const indices = new Int32Array(n);
  const { outer, len, inner } = lines(x.shape, axis);
  const keys = new Float64Array(len);
  const perm = new Int32Array(len);
  const tmp = new Int32Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      // Split the line into numbers (sorted) and NaNs (kept in order, placed at the NaN end).
      let numbers = 0;
      let nans = 0;
      for (let k = 0; k < len; k++) {
        const v = data[base + start + k * inner];
        keys[k] = v;
        if (v === v) perm[numbers++] = k;
        else tmp[nans++] = k;
      }
      const nanStart = descending ? 0 : numbers;
      const numStart = descending ? nans : 0;
      for (let k = numbers - 1; k >= 0; k--) perm[numStart + k] = perm[k]; // make room for leading NaNs
      for (let k = 0; k < nans; k++) perm[nanStart + k] = tmp[k];
      mergeSort(keys, perm, tmp, numStart, numStart + numbers, descending);
      for (let k = 0; k < len; k++) {
        const at = start + k * inner;
        values[at] = keys[perm[k]];
        indices[at] = perm[k];
      }
    }
  }
  return { values, indices };
}
