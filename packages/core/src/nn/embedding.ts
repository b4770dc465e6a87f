/** Embedding: a lookup table of learned vectors (PyTorch's nn.Embedding). */
import { noGrad } from '../autograd/grad-mode.js';
import { arange } from '../creation.js';
import { ArgumentError, DtypeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newParameter, reprFields } from './options.js';

export interface EmbeddingOptions extends FactoryOptions {
  /** An index whose vector starts at zero and gets no gradient (a padding token); negative counts from the end. */
  paddingIdx?: number;
}

/**
 * Maps int32 indices [...] to rows of weight [numEmbeddings, embeddingDim], giving
 * [..., embeddingDim]. Init: N(0, 1), with the paddingIdx row zeroed.
 */
export class Embedding extends Module<(indices: Tensor) => Tensor> {
  readonly weight: Tensor;
  readonly paddingIdx: number | null;
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, { paddingIdx, ...factory }: EmbeddingOptions = {}) {
    super();
    checkLayerSizes('Embedding', { numEmbeddings, embeddingDim });
    if (paddingIdx !== undefined && (!Number.isInteger(paddingIdx) || paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
      throw new ArgumentError('Embedding', `paddingIdx must be an integer within numEmbeddings (${numEmbeddings}), got ${paddingIdx}`);
    }
    this.paddingIdx = paddingIdx === undefined ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = normal_(newParameter([numEmbeddings, embeddingDim], factory), 0, 1, factory);
    if (this.paddingIdx !== null) {
      const keep = arange(numEmbeddings, undefined, 1, { backend: this.weight.backendName }).ne(this.paddingIdx).unsqueeze(1);
      noGrad(() => this.weight.assign(keep.where(this.weight, 0)));
    }
  }
  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') throw new DtypeError('Embedding', `expected int32 indices, got ${indices.dtype}`);
    const rows = this.weight.indexSelect(0, indices.flatten()).reshape([...indices.shape, this.embeddingDim]);
    if (this.paddingIdx === null) return rows;
    // The padding row's value comes through, its gradient does not (PyTorch's embedding backward skips it).
    return indices.ne(this.paddingIdx).unsqueeze(-1).where(rows, rows.detach());
  }
  override extraRepr(): string {
    return reprFields({ numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim, paddingIdx: this.paddingIdx ?? undefined });
  }
}
