/**
 * Recurrent layers, PyTorch's nn.LSTM and nn.GRU (unidirectional, any number of layers): the same
 * parameter names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ...), gate order and init
 * U(±1/√hidden). The input projection of a whole sequence is one matmul; the recurrence loops
 * over time steps.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { stack } from '../ops/movement.js';
import type { Tensor } from '../tensor.js';
import { dropout } from './dropout.js';
import { uniform_ } from './init.js';
import { type Forward, Module } from './module.js';
import { type FactoryOptions, checkLayerSizes, newParameter, reprFields } from './options.js';

export interface RNNOptions extends FactoryOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Inputs and outputs are [N, L, features] (true) or [L, N, features] (false, PyTorch's default). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
}

interface LayerWeights { wIh: Tensor; wHh: Tensor; bIh: Tensor | null; bHh: Tensor | null }

/** Shared parameters and sequence handling; a subclass gives the gate count and one time step. */
abstract class RNNBase<F extends Forward> extends Module<F> {
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly hasBias: boolean;
  constructor(layer: string, gates: number, readonly inputSize: number, readonly hiddenSize: number, opts: RNNOptions) {
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout: p = 0, ...factory } = opts;
    checkLayerSizes(layer, { inputSize, hiddenSize, numLayers });
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(layer, `dropout must lie in [0, 1], got ${p}`);
    this.numLayers = numLayers;
    this.batchFirst = batchFirst;
    this.dropout = p;
    this.hasBias = bias;
    const bound = 1 / Math.sqrt(hiddenSize);
    const param = (shape: number[]) => uniform_(newParameter(shape, factory), -bound, bound, factory);
    const fields = this as unknown as Record<string, Tensor>;
    for (let k = 0; k < numLayers; k++) {
      fields[`weight_ih_l${k}`] = param([gates * hiddenSize, k === 0 ? inputSize : hiddenSize]);
      fields[`weight_hh_l${k}`] = param([gates * hiddenSize, hiddenSize]);
      if (bias) {
        fields[`bias_ih_l${k}`] = param([gates * hiddenSize]);
        fields[`bias_hh_l${k}`] = param([gates * hiddenSize]);
      }
    }
  }

  /** Layer k's weights. */
  protected weights(k: number): LayerWeights {
    const f = this as unknown as Record<string, Tensor>;
    return { wIh: f[`weight_ih_l${k}`], wHh: f[`weight_hh_l${k}`], bIh: f[`bias_ih_l${k}`] ?? null, bHh: f[`bias_hh_l${k}`] ?? null };
  }

  /** The input as [L, N, inputSize] and whether it was unbatched ([L, inputSize]). */
  protected timeMajor(layer: string, x: Tensor): [Tensor, boolean] {
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(layer, `expected input [L, N, ${this.inputSize}] (or [N, L, ${this.inputSize}] with batchFirst, or unbatched [L, ${this.inputSize}]), got ${fmtShape(x.shape)}`);
    }
    if (x.ndim === 2) return [x.unsqueeze(1), true];
    return [this.batchFirst ? x.transpose(0, 1) : x, false];
  }

  /** A given initial state [numLayers, N, H] (or [numLayers, H] unbatched), or zeros. */
  protected initialState(layer: string, state: Tensor | undefined, x: Tensor, unbatched: boolean): Tensor {
    const shape = [this.numLayers, x.shape[1], this.hiddenSize];
    if (state === undefined) return x.newZeros(shape);
    const s = unbatched ? state.unsqueeze(1) : state;
    if (s.ndim !== 3 || s.shape.some((v, i) => v !== shape[i])) {
      throw new ShapeError(layer, `expected an initial state of shape ${fmtShape(unbatched ? [this.numLayers, this.hiddenSize] : shape)}, got ${fmtShape(state.shape)}`);
    }
    return s;
  }

  /** Runs layers 0..numLayers−1 over the sequence; `cell` maps (projected input, states of layer k) to new states, the first being the output h. */
  protected run(x: Tensor, states: Tensor[], cell: (xt: Tensor, hs: Tensor[], w: LayerWeights) => Tensor[]): { output: Tensor; finals: Tensor[][] } {
    let input = x;
    const finals: Tensor[][] = [];
    for (let k = 0; k < this.numLayers; k++) {
      const w = this.weights(k);
      const projected = input.matmul(w.wIh.T); // [L, N, gates·H]: every step's input term at once
      let hs = states.map((s) => row(s, k));
      const outputs: Tensor[] = [];
      for (let t = 0; t < x.shape[0]; t++) {
        hs = cell(row(projected, t), hs, w);
        outputs.push(hs[0]);
      }
      finals.push(hs);
      input = stack(outputs, 0);
      if (k < this.numLayers - 1) input = dropout(input, this.dropout, this.training);
    }
    return { output: input, finals };
  }

  /** Back to the caller's layout. */
  protected untimeMajor(y: Tensor, unbatched: boolean): Tensor {
    if (unbatched) return y.squeeze(1);
    return this.batchFirst ? y.transpose(0, 1) : y;
  }

  override extraRepr(): string {
    return reprFields({
      inputSize: this.inputSize, hiddenSize: this.hiddenSize, numLayers: this.numLayers !== 1 ? this.numLayers : undefined,
      bias: this.hasBias ? undefined : false, batchFirst: this.batchFirst || undefined, dropout: this.dropout || undefined,
    });
  }
}

/** Entry i of dim 0. */
const row = (t: Tensor, i: number): Tensor => t.narrow(0, i, 1).squeeze(0);

/** The gate pre-activations of one step: projected input + b_ih + h W_hhᵀ + b_hh. */
const withBias = (t: Tensor, b: Tensor | null): Tensor => (b ? t.add(b) : t);

type LSTMForward = (x: Tensor, state?: [Tensor, Tensor]) => [Tensor, [Tensor, Tensor]];

/**
 * Long short-term memory (Hochreiter & Schmidhuber, 1997), PyTorch's nn.LSTM: gates i, f, g, o in
 * that order in the weights; c' = f⊙c + i⊙g, h' = o⊙tanh(c'). forward(x, [h0, c0]?) returns
 * [output (every step's h of the last layer), [hN, cN]].
 */
export class LSTM extends RNNBase<LSTMForward> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) { super('LSTM', 4, inputSize, hiddenSize, opts); }
  forward(x: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [seq, unbatched] = this.timeMajor('LSTM', x);
    const h0 = this.initialState('LSTM', state?.[0], seq, unbatched);
    const c0 = this.initialState('LSTM', state?.[1], seq, unbatched);
    const { output, finals } = this.run(seq, [h0, c0], (xt, [h, c], w) => {
      const [i, f, g, o] = withBias(withBias(xt, w.bIh).add(h.matmul(w.wHh.T)), w.bHh).chunk(4, -1);
      const c2 = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
      return [o.sigmoid().mul(c2.tanh()), c2];
    });
    const last = (j: number) => {
      const s = stack(finals.map((f) => f[j]), 0);
      return unbatched ? s.squeeze(1) : s;
    };
    return [this.untimeMajor(output, unbatched), [last(0), last(1)]];
  }
}

/**
 * Gated recurrent unit (Cho et al., 2014), PyTorch's nn.GRU: gates r, z, n in that order;
 * n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h' = (1 − z)⊙n + z⊙h. forward(x, h0?) returns
 * [output, hN].
 */
export class GRU extends RNNBase<(x: Tensor, h0?: Tensor) => [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) { super('GRU', 3, inputSize, hiddenSize, opts); }
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const [seq, unbatched] = this.timeMajor('GRU', x);
    const init = this.initialState('GRU', h0, seq, unbatched);
    const { output, finals } = this.run(seq, [init], (xt, [h], w) => {
      const [xr, xz, xn] = withBias(xt, w.bIh).chunk(3, -1);
      const [hr, hz, hn] = withBias(h.matmul(w.wHh.T), w.bHh).chunk(3, -1);
      const r = xr.add(hr).sigmoid();
      const z = xz.add(hz).sigmoid();
      const n = xn.add(r.mul(hn)).tanh();
      return [n.sub(z.mul(n)).add(z.mul(h))];
    });
    const hN = stack(finals.map((f) => f[0]), 0);
    return [this.untimeMajor(output, unbatched), unbatched ? hN.squeeze(1) : hN];
  }
}
