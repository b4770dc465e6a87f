import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  entropyThreshold: opt.number(0.5, 'Rows whose entropy is at most this keep β = 1.', '[0, inf)'),
  polyCoeffs: opt.numbers([-0.037, 0.481, -2.3, 4.917, -1.791], 'The polynomial β(H), highest degree first (the paper\'s fit).'),
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type AdaptiveTemperatureSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Adaptive-temperature softmax: sharpens a row by an inverse temperature β ≥ 1 picked from its entropy.
 *
 * p = softmax(z); H = −Σ p·log(p + 1e-9) (the paper's form, finite at p = 0); β = max(poly(H), 1) where H > 0.5, else 1,
 * poly the fitted quartic (Horner); the output is softmax(β·z), max-shifted. β is a constant of the forward (computed
 * without gradient, as the method sets it at inference), so the gradient is softmax's at fixed β, which is not the
 * derivative of the whole map where β varies with z.
 *
 * @param z logits [..., n]
 * @param opts entropyThreshold (default 0.5), polyCoeffs (default [−0.037, 0.481, −2.3, 4.917, −1.791]), dim (default −1)
 * @returns probabilities shaped like z
 * @see Veličković et al., softmax is not enough (for sharp out-of-distribution), arXiv 2024
 */
export function adaptiveTemperatureSoftmax(...args: Call<[z: Tensor], AdaptiveTemperatureSoftmaxOptions>): Tensor {
  const [z, { entropyThreshold, polyCoeffs, dim }] = entry.check(args);
  const zc = z.detach();
  const p = zc.softmax(dim);
  const h = p.mul(p.add(1e-9).log()).sum(dim, true).neg();
  const poly = polyCoeffs.reduce<Tensor>((acc, c) => acc.mul(h).add(c), h.zerosLike());
  const beta = h.gt(entropyThreshold).where(poly.clamp(1), 1);
  return z.mul(beta).softmax(dim);
}

export const entry = defineLoss({
  id: 'adaptive-temperature-softmax',
  fn: adaptiveTemperatureSoftmax,
  args: [{ name: 'z', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
  surrogateGradient: 'β(H(z)) is held constant (stop-gradient), as the method defines it: the backward is softmax\'s at fixed β, not the derivative of the forward where β varies with z, so finite differences cannot match it; the fixtures check that gradient against PyTorch.',
});
