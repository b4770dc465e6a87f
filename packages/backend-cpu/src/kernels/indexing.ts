/**
 * Indexing kernels with PyTorch semantics: gather (torch.gather), scatterAdd (Tensor.scatter_add),
 * indexSelect (torch.index_select) and concat (torch.cat). Index tensors are int32 and in range
 * (core validates them). Along `axis`, the x pointer does not move with the walk (its stride is
 * replaced by 0); the index value times x's axis stride is added per element instead.
 */
import { arrayFor, asLine, contiguousStrides, forEachLine, isDense, lines, numel, type TypedArray } from '@graft/core/backend-kit';
import { contiguous } from './elementwise.js';
import { copyRange, type CpuView } from './strided.js';

const zeroAt = (strides: readonly number[], axis: number): number[] => strides.map((s, d) => (d === axis ? 0 : s));

/** out[...i, j, k...] = x[...i, index[...i, j, k...], k...]; output has index.shape. */
export function gather(x0: CpuView, axis: number, index0: CpuView): TypedArray {
  const x = asLine(x0);
  const index = asLine(index0);
  const out = arrayFor(x.dtype, numel(index.shape));
  const nd = index.shape.length;
  const inner = index.shape[nd - 1];
  const xs = zeroAt(x.strides, axis);
  const sAxis = x.strides[axis];
  const sx = xs[nd - 1];
  const si = index.strides[nd - 1];
  const X = x.buffer;
  const I = index.buffer;
  let o = 0;
  forEachLine(index.shape, [xs, index.strides], [x.offset, index.offset], ([px, pi]) => {
    for (let j = 0; j < inner; j++, px += sx, pi += si) out[o++] = X[px + I[pi] * sAxis];
  });
  return out;
}

/**
 * A copy of x with src added at x[..., index[...], ...] along `axis`. Accumulates in float64
 * (int32: wrapping; bool: logical or) in src's row-major order, rounding once at the end.
 * float32 with few sources (gather's backward: 4,096 values into 4096×1000 zeros) keeps its float64
 * sums only at the positions hit, instead of converting the whole of x to float64 and back.
 */
export function scatterAdd(x0: CpuView, axis: number, index0: CpuView, src0: CpuView): TypedArray {
  const x = asLine(x0);
  const index = asLine(index0);
  const src = asLine(src0);
  const dtype = x.dtype;
  const base = contiguous(x);
  if (dtype === 'float32' && numel(src.shape) * 8 <= base.length) return sparseScatterAdd(base, x.shape, axis, index, src);
  const acc = dtype === 'float32' ? Float64Array.from(base) : base;
  const ds = contiguousStrides(x.shape);
  const dAxis = ds[axis];
  const dsWalk = zeroAt(ds, axis);
  const nd = src.shape.length;
  const inner = src.shape[nd - 1];
  const [sd, si, ss] = [dsWalk[nd - 1], index.strides[nd - 1], src.strides[nd - 1]];
  const I = index.buffer;
  const S = src.buffer;
  forEachLine(src.shape, [dsWalk, index.strides, src.strides], [0, index.offset, src.offset], ([pd, pi, ps]) => {
    if (dtype === 'int32') {
      for (let j = 0; j < inner; j++, pd += sd, pi += si, ps += ss) { const t = pd + I[pi] * dAxis; acc[t] = (acc[t] + S[ps]) | 0; }
    } else if (dtype === 'bool') {
      for (let j = 0; j < inner; j++, pd += sd, pi += si, ps += ss) if (S[ps] !== 0) acc[pd + I[pi] * dAxis] = 1;
    } else {
      for (let j = 0; j < inner; j++, pd += sd, pi += si, ps += ss) acc[pd + I[pi] * dAxis] += S[ps];
    }
  });
  if (acc === base) return base;
  base.set(acc); // float32: round once
  return base;
}

/** scatterAdd into the float32 copy `out` with one float64 sum per position hit, rounded once. */
function sparseScatterAdd(out: TypedArray, shape: readonly number[], axis: number, index: CpuView, src: CpuView): TypedArray {
  const ds = contiguousStrides(shape);
  const dAxis = ds[axis];
  const dsWalk = zeroAt(ds, axis);
  const nd = src.shape.length;
  const inner = src.shape[nd - 1];
  const [sd, si, ss] = [dsWalk[nd - 1], index.strides[nd - 1], src.strides[nd - 1]];
  const I = index.buffer;
  const S = src.buffer;
  const sums = new Map<number, number>(); // position → float64 sum, in src's row-major order
  forEachLine(src.shape, [dsWalk, index.strides, src.strides], [0, index.offset, src.offset], ([pd, pi, ps]) => {
    for (let j = 0; j < inner; j++, pd += sd, pi += si, ps += ss) {
      const t = pd + I[pi] * dAxis;
      sums.set(t, (sums.get(t) ?? out[t]) + S[ps]);
    }
  });
  for (const [t, v] of sums) out[t] = v;
  return out;
}

/** Picks entries of the 1-d `index` along `axis`; output size along axis = index length. */
export function indexSelect(x0: CpuView, axis: number, index: CpuView): TypedArray {
  const x = asLine(x0);
  const dense = isDense(x);
  const data = dense ? x.buffer : contiguous(x);
  const base = dense ? x.offset : 0;
  const { outer, len, inner } = lines(x.shape, axis);
  const L = index.shape[0];
  const out = arrayFor(x.dtype, outer * L * inner);
  const I = index.buffer;
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < L; l++) {
      const k = I[index.offset + l * index.strides[0]];
      copyRange(out, (o * L + l) * inner, data, base + (o * len + k) * inner, inner);
    }
  }
  return out;
}

/** Joins views that agree on every dim but `axis` into one dense buffer. */
export function concat(xs0: readonly CpuView[], axis: number): TypedArray {
  const xs = xs0.map(asLine);
  const total = xs.reduce((s, x) => s + x.shape[axis], 0);
  const { outer, inner } = lines(xs[0].shape, axis);
  const row = total * inner;
  const out = arrayFor(xs[0].dtype, outer * row);
  let col = 0;
  for (const x of xs) {
    const dense = isDense(x);
    const data = dense ? x.buffer : contiguous(x);
    const base = dense ? x.offset : 0;
    const block = x.shape[axis] * inner;
    for (let o = 0; o < outer; o++) copyRange(out, o * row + col, data, base + o * block, block);
    col += block;
  }
  return out;
}
