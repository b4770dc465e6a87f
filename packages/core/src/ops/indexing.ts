/** Indexing: gather, scatterAdd, indexSelect, sort/argsort/topk and oneHot. Indices are int32. */
import { Function } from '../autograd/function.js';
import { checkMode, requireAll } from '../checks.js';
import { BackendError, DtypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import * as d from './dispatch.js';
import * as p from './primitives.js';
import type { ValuesIndices } from './reduce.js';

/**
 * Checks dtype and range of an index tensor before any kernel reads through it. The range test runs
 * on the index's backend and reads back one boolean (one small sync on a GPU, not the whole index);
 * only a failing check reads the values, to name the first bad one. Backward passes skip it: their
 * indices were checked on the way in.
 */
export function checkIndex(op: string, index: Tensor, size: number, lo = 0): Tensor {
  if (index.dtype !== 'int32') throw new DtypeError(op, `expected an int32 index tensor, got ${index.dtype}`);
  requireAll(index.ge(lo).logicalAnd(index.lt(size)), () => {
    // Deferred checks run at a later read, when the index may be gone: name the bad value only when it is still readable.
    const bad = checkMode() === 'eager' ? index.data().find((v) => v < lo || v >= size) : undefined;
    return new IndexError(op, `${bad === undefined ? 'an index' : `index ${bad}`} is out of range for a dim of size ${size} (expected ${lo} <= index < ${size})`);
  });
  return index;
}

/** The index must live on x's backend: its buffer goes to x's kernels. */
export function checkSameBackend(op: string, x: Tensor, index: Tensor): void {
  d.expectTensor(op, index, 'the index');
  if (index.backendName !== x.backendName) {
    throw new BackendError(op, `expected the index on the input's backend, got '${x.backendName}' and '${index.backendName}' (move one with .to(name))`);
  }
}

/** gather/scatterAdd (and scatter) need index dims no larger than x's, except along the gathered dim. */
export function checkIndexShape(op: string, x: Tensor, axis: number, index: Tensor): void {
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== axis && s > x.shape[i])) {
    throw new ShapeError(op, `index of shape ${fmtShape(index.shape)} does not fit input of shape ${fmtShape(x.shape)} at dim ${axis} (expected the same number of dims and sizes no larger, except at dim ${axis})`);
  }
}

/*
 * The index tensors are saved for backward (not just kept as fields), so an in-place change to an
 * index after the forward is caught by the saved-tensor version check instead of silently
 * scattering the gradient to the new positions. The inputs themselves are needed only for their shape.
 */
class Gather extends Function {
  constructor(private readonly axis: number, index: Tensor) { super(); this.save(index); }
  private inputShape: number[] = [];
  forward(x: Tensor) {
    this.inputShape = x.shape;
    const [index] = this.savedTensors;
    return p.gather(x, this.axis, index);
  }
  backward(g: Tensor) {
    const [index] = this.savedTensors;
    return [new ScatterAdd(this.axis, index).apply(g.newZeros(this.inputShape), g)];
  }
}

class ScatterAdd extends Function {
  constructor(private readonly axis: number, index: Tensor) { super(); this.save(index); }
  forward(x: Tensor, src: Tensor) {
    const [index] = this.savedTensors;
    return p.scatterAdd(x, this.axis, index, src);
  }
  backward(g: Tensor) {
    const [index] = this.savedTensors;
    return [g, this.needsInputGrad[1] ? new Gather(this.axis, index).apply(g) : null];
  }
}

class IndexSelect extends Function {
  constructor(private readonly axis: number, index: Tensor) { super(); this.save(index); }
  private inputShape: number[] = [];
  forward(x: Tensor) {
    this.inputShape = x.shape;
    const [index] = this.savedTensors;
    return p.indexSelect(x, this.axis, index);
  }
  backward(g: Tensor) {
    // Spread the 1-d index along the selected dim and scatter-add the gradient back.
    const [index] = this.savedTensors;
    const shape = g.shape.map((_, i) => (i === this.axis ? index.size : 1));
    const spread = index.reshape(shape).expand(g.shape);
    return [new ScatterAdd(this.axis, spread).apply(g.newZeros(this.inputShape), g)];
  }
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const axis = normalizeAxis('gather', dim, x.ndim);
  checkSameBackend('gather', x, index);
  checkIndexShape('gather', x, axis, index);
  checkIndex('gather', index, x.ndim === 0 ? 1 : x.shape[axis]);
  return new Gather(axis, index).apply(x);
}

export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const axis = normalizeAxis('scatterAdd', dim, x.ndim);
  checkSameBackend('scatterAdd', x, index);
  d.expectTensor('scatterAdd', src, 'src');
  checkIndexShape('scatterAdd', x, axis, index);
  if (src.ndim !== index.ndim || index.shape.some((s, i) => s > src.shape[i])) {
    throw new ShapeError('scatterAdd', `index of shape ${fmtShape(index.shape)} is larger than src of shape ${fmtShape(src.shape)}`);
  }
  checkIndex('scatterAdd', index, x.ndim === 0 ? 1 : x.shape[axis]);
  // Only the part of src the index covers takes part (PyTorch's rule).
  let part = src;
  index.shape.forEach((s, i) => { if (s < part.shape[i]) part = part.narrow(i, 0, s); });
  const [a, b] = d.coerce('scatterAdd', x, part);
  return new ScatterAdd(axis, index).apply(a, b);
}

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const axis = normalizeAxis('indexSelect', dim, x.ndim);
  checkSameBackend('indexSelect', x, index);
  if (index.ndim > 1) throw new ShapeError('indexSelect', `expected a 1-d index, got shape ${fmtShape(index.shape)}`);
  checkIndex('indexSelect', index, x.ndim === 0 ? 1 : x.shape[axis]);
  const flat = index.reshape([-1]);
  if (x.ndim === 0) return selectChecked(x.reshape([1]), 0, flat).reshape(index.ndim === 0 ? [] : [index.size]);
  return selectChecked(x, axis, flat);
}

/** indexSelect along `axis` with a 1-d int32 index its caller has already checked (backend, range): no second check. */
export const selectChecked = (x: Tensor, axis: number, index: Tensor): Tensor => new IndexSelect(axis, index).apply(x);

/** The sorted values, as the backend returned them (no gather); the gradient goes back through the indices. */
class Sort extends Function {
  constructor(private readonly axis: number, private readonly descending: boolean) { super(); }
  /** Set by forward: the int32 source positions. */
  indices: Tensor | null = null;
  forward(x: Tensor) {
    const { values, indices } = p.sort(x, this.axis, this.descending);
    this.indices = indices;
    this.save(indices);
    return values;
  }
  backward(g: Tensor) {
    const [index] = this.savedTensors;
    return [new ScatterAdd(this.axis, index).apply(g.newZeros(g.shape), g)];
  }
}

/** Stable sort along `dim` (NaN last, first when descending): values, which carry x's gradient, and int32 indices. */
export function sort(x: Tensor, dim = -1, descending = false): ValuesIndices {
  if (x.ndim === 0) return { values: x, indices: d.full(x, [], 0, 'int32') };
  const axis = normalizeAxis('sort', dim, x.ndim);
  const op = new Sort(axis, descending);
  const values = op.apply(x);
  return { values, indices: op.indices! };
}

export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  return sort(x, dim, descending).indices;
}

/** The k largest (or smallest) entries along `dim`, sorted, with their indices. */
export function topk(x: Tensor, k: number, dim = -1, largest = true): ValuesIndices {
  const axis = normalizeAxis('topk', dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[axis];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new IndexError('topk', `k = ${k} is out of range for a dim of size ${n}`);
  const { values, indices } = sort(x, axis, largest);
  if (x.ndim === 0) return { values, indices };
  return { values: values.narrow(axis, 0, k), indices: indices.narrow(axis, 0, k) };
}

/** int32 one-hot rows: shape [...index.shape, numClasses]; numClasses defaults to max + 1. */
export function oneHot(index: Tensor, numClasses?: number): Tensor {
  if (index.dtype !== 'int32') throw new DtypeError('oneHot', `expected an int32 class-index tensor, got ${index.dtype}`);
  // Without numClasses the labels' max is a host read (a data-dependent shape, as in PyTorch); one reduction, not the whole index.
  const c = numClasses ?? (index.size === 0 ? 0 : index.amax().item() + 1);
  if (!Number.isInteger(c) || c < 0) throw new IndexError('oneHot', `numClasses must be a non-negative integer, got ${numClasses}`);
  checkIndex('oneHot', index, c);
  const classes = p.fromHost(index, Int32Array.from({ length: c }, (_, i) => i), [c], 'int32');
  return d.cast(index.unsqueeze(-1).eq(classes), 'int32');
}
