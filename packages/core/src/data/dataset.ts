/** Datasets: anything with a length and items by index (PyTorch's map-style Dataset), TensorDataset and Subset. */
import { fromTyped } from '../creation.js';
import { ArgumentError, IndexError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** A map-style dataset: `length` items, item i from `get(i)` (PyTorch's __len__ and __getitem__). */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
  /** Items `indices` already batched; DataLoader uses it (when present, with the default collate) instead of get + collate. */
  getBatch?(indices: readonly number[]): T;
}

export function checkIndex(op: string, index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) throw new IndexError(op, `index ${index} is out of range for ${length} items`);
  return index < 0 ? index + length : index;
}

/** Rows of tensors that share their first dim: item i is [t₀[i], t₁[i], ...] (PyTorch's TensorDataset). */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ArgumentError('TensorDataset', 'expected at least one tensor');
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.ndim === 0 || t.shape[0] !== n) throw new ShapeError('TensorDataset', `size mismatch between tensors: tensor ${i} has shape ${fmtShape(t.shape)}, expected first dim ${n}`);
    });
    this.tensors = tensors;
  }
  get length(): number { return this.tensors[0].shape[0]; }
  get(index: number): Tensor[] {
    const i = checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => t.narrow(0, i, 1).squeeze(0));
  }
  /** Rows `indices` of every tensor, gathered in one indexSelect each. */
  getBatch(indices: readonly number[]): Tensor[] {
    const rows = indices.map((i) => checkIndex('TensorDataset', i, this.length));
    return this.tensors.map((t) => t.indexSelect(0, fromTyped(Int32Array.from(rows), [rows.length], { dtype: 'int32', backend: t.backendName })));
  }
}

/** The items of `dataset` at `indices`, in that order (PyTorch's Subset). */
export class Subset<T> implements Dataset<T> {
  /** Present when the underlying dataset batches: the subset's rows, gathered by the dataset. */
  readonly getBatch?: (indices: readonly number[]) => T;
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {
    indices.forEach((i) => checkIndex('Subset', i, dataset.length));
    const batch = dataset.getBatch?.bind(dataset);
    if (batch) this.getBatch = (rows) => batch(rows.map((i) => this.indices[checkIndex('Subset', i, this.length)]));
  }
  get length(): number { return this.indices.length; }
  get(index: number): T { return this.dataset.get(this.indices[checkIndex('Subset', index, this.length)]); }
}
