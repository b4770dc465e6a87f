/** Multi-head attention (Vaswani et al., 2017), PyTorch's nn.MultiheadAttention: parameters, masks and defaults. */
import { ArgumentError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { dropout } from './dropout.js';
import { constant_, xavierUniform_ } from './init.js';
import { Linear, linear } from './linear.js';
import { Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newParameter, reprFields } from './options.js';

export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Dropout on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Feature sizes of key and value (default embedDim); when either differs, q/k/v get separate projection weights. */
  kdim?: number;
  vdim?: number;
  /** Inputs and outputs are [N, L, E] (true) or [L, N, E] (false, PyTorch's default). */
  batchFirst?: boolean;
}

export interface AttentionCallOptions {
  /** [N, S]: true (or −∞ when float) marks keys to ignore, e.g. padding. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true); otherwise the second result is null. */
  needWeights?: boolean;
  /** [L, S] or [N·heads, L, S]: true marks pairs that may not attend; a float mask is added to the scores. */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads ([N, L, S], default) or keep them per head ([N, heads, L, S]). */
  averageAttnWeights?: boolean;
}

type AttentionForward = (query: Tensor, key: Tensor, value: Tensor, opts?: AttentionCallOptions) => [Tensor, Tensor | null];

/**
 * softmax(Q Kᵀ/√d + mask) V in `numHeads` heads of size embedDim/numHeads, between input and output
 * projections. Returns [output, weights]. Init: xavierUniform_ on the input projections, zero
 * biases, Linear's default on the output projection (as PyTorch).
 */
export class MultiheadAttention extends Module<AttentionForward> {
  readonly in_proj_weight: Tensor | null = null;
  readonly q_proj_weight: Tensor | null = null;
  readonly k_proj_weight: Tensor | null = null;
  readonly v_proj_weight: Tensor | null = null;
  readonly in_proj_bias: Tensor | null;
  readonly out_proj: Linear;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly kdim: number;
  readonly vdim: number;
  constructor(readonly embedDim: number, readonly numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    const { dropout: p = 0, bias = true, kdim = embedDim, vdim = embedDim, batchFirst = false, ...factory } = opts;
    checkLayerSizes('MultiheadAttention', { embedDim, numHeads, kdim, vdim });
    if (embedDim % numHeads !== 0) throw new ArgumentError('MultiheadAttention', `embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    if (!(p >= 0 && p <= 1)) throw new ArgumentError('MultiheadAttention', `dropout must lie in [0, 1], got ${p}`);
    this.dropout = p;
    this.batchFirst = batchFirst;
    this.kdim = kdim;
    this.vdim = vdim;
    this.headDim = embedDim / numHeads;
    const init = (shape: number[]) => xavierUniform_(newParameter(shape, factory), factory);
    if (kdim === embedDim && vdim === embedDim) {
      this.in_proj_weight = init([3 * embedDim, embedDim]);
    } else {
      this.q_proj_weight = init([embedDim, embedDim]);
      this.k_proj_weight = init([embedDim, kdim]);
      this.v_proj_weight = init([embedDim, vdim]);
    }
    this.in_proj_bias = bias ? newParameter([3 * embedDim], factory) : null;
    this.out_proj = new Linear(embedDim, embedDim, { bias, ...factory });
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
  }

  forward(query: Tensor, key: Tensor, value: Tensor, opts: AttentionCallOptions = {}): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = opts;
    if (query.ndim !== 3 || key.ndim !== 3 || value.ndim !== 3) {
      throw new ShapeError('MultiheadAttention', `expected 3-d query, key and value, got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`);
    }
    const [q, k, v] = this.batchFirst ? [query, key, value] : [query, key, value].map((t) => t.transpose(0, 1));
    const [n, l] = q.shape;
    const s = k.shape[1];
    const [h, d, e] = [this.numHeads, this.headDim, this.embedDim];
    const split = (t: Tensor, len: number) => t.reshape([n, len, h, d]).transpose(1, 2); // [N, H, len, D]
    const [wq, wk, wv] = this.in_proj_weight ? this.in_proj_weight.chunk(3, 0) : [this.q_proj_weight!, this.k_proj_weight!, this.v_proj_weight!];
    const [bq, bk, bv] = this.in_proj_bias ? this.in_proj_bias.chunk(3, 0) : [null, null, null];
    const qh = split(linear(q, wq, bq), l).div(Math.sqrt(d));
    const kh = split(linear(k, wk, bk), s);
    const vh = split(linear(v, wv, bv), s);
    let scores = qh.matmul(kh.transpose(-2, -1)); // [N, H, L, S]
    if (attnMask) scores = applyMask(scores, attnMask.ndim === 3 ? attnMask.reshape([n, h, l, s]) : attnMask, 'attnMask');
    if (keyPaddingMask) scores = applyMask(scores, keyPaddingMask.reshape([n, 1, 1, s]), 'keyPaddingMask');
    const weights = dropout(scores.softmax(-1), this.dropout, this.training);
    const out = this.out_proj(weights.matmul(vh).transpose(1, 2).reshape([n, l, e]));
    const attn = !needWeights ? null : averageAttnWeights ? weights.mean(1) : weights;
    return [this.batchFirst ? out : out.transpose(0, 1), attn];
  }

  override extraRepr(): string { return reprFields({ embedDim: this.embedDim, numHeads: this.numHeads, batchFirst: this.batchFirst }); }
}

/** A bool mask sets masked scores to −∞; a float mask is added. */
function applyMask(scores: Tensor, mask: Tensor, name: string): Tensor {
  if (mask.dtype === 'bool') return scores.maskedFill(mask, -Infinity);
  if (mask.dtype === 'int32') throw new DtypeError('MultiheadAttention', `${name} must be bool or float, got int32`);
  return scores.add(mask);
}
