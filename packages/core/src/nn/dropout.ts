/** Dropout: seeded, active in training mode only. */
import { full } from '../creation.js';
import { ArgumentError } from '../errors.js';
import type { Generator } from '../random.js';
import { bernoulli } from '../sampling.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { reprFields } from './options.js';

export interface DropoutOptions {
  /** Source of the masks (default: the seeded default generator, see manualSeed). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability p and scales the rest by 1/(1 − p), so the expectation is
 * unchanged (Srivastava et al., 2014; PyTorch's F.dropout). Identity when `training` is false.
 */
export function dropout(x: Tensor, p = 0.5, training = true, { generator }: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new ArgumentError('dropout', `dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const keep = bernoulli(full(x.shape, 1 - p, { dtype: x.dtype, backend: x.backendName }), { generator });
  return x.mul(keep.div(1 - p));
}

/** Randomly zeroes elements with probability p during training (PyTorch's nn.Dropout, default p = 0.5). */
export class Dropout extends Module<(x: Tensor) => Tensor> {
  private readonly generator?: Generator;
  constructor(readonly p = 0.5, opts: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ArgumentError('Dropout', `dropout probability has to be between 0 and 1, but got ${p}`);
    this.generator = opts.generator;
  }
  forward(x: Tensor): Tensor { return dropout(x, this.p, this.training, { generator: this.generator }); }
  override extraRepr(): string { return reprFields({ p: this.p }); }
}
