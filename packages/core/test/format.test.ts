/**
 * Tensors print as PyTorch's repr (expected strings are torch 1.13's own output, pasted), followed
 * by graft's metadata; console.log and util.inspect use it.
 */
import './setup.js';
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { type Tensor, arange, formatValues, setPrintOptions, tensor } from '../src/index.js';

/** The values part of PyTorch's repr: between 'tensor(' and the dtype suffix or the closing paren. */
const torchValues = (repr: string): string => repr.slice('tensor('.length).replace(/(, dtype=torch\.\w+)?\)$/, '');
const values = (t: Tensor): string => formatValues(t, 'tensor('.length);

describe('values as PyTorch prints them', () => {
  test.each([
    ['fixed precision, one width', tensor([[1.0, 2.5], [-3.25, 4.0]]), 'tensor([[ 1.0000,  2.5000],\n        [-3.2500,  4.0000]])'],
    ['integer-valued floats', tensor([1.0, -2.0, 30.0]), 'tensor([ 1., -2., 30.])'],
    ['scientific when magnitudes spread', tensor([1e-5, 1.0, 123456.0]), 'tensor([1.0000e-05, 1.0000e+00, 1.2346e+05])'],
    ['scientific for large integer values', tensor([1.0, 1e9]), 'tensor([1.0000e+00, 1.0000e+09])'],
    ['nan and infinities', tensor([NaN, Infinity, -1.5]), 'tensor([    nan,     inf, -1.5000])'],
    ['int32', tensor([[1, -20], [300, 4]], { dtype: 'int32' }), 'tensor([[  1, -20],\n        [300,   4]], dtype=torch.int32)'],
    ['3-d: blank lines between blocks', arange(12, undefined, 1, { dtype: 'float32' }).reshape(2, 2, 3).div(4),
      'tensor([[[0.0000, 0.2500, 0.5000],\n         [0.7500, 1.0000, 1.2500]],\n\n        [[1.5000, 1.7500, 2.0000],\n         [2.2500, 2.5000, 2.7500]]])'],
    ['a scalar', tensor(3.14159), 'tensor(3.1416)'],
    ['a long row wraps at 80 columns', arange(30, undefined, 1, { dtype: 'float32' }).mul(1.5),
      'tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n        24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,\n        36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000])'],
    ['more than 1000 elements are summarised', arange(2000, undefined, 1, { dtype: 'float32' }).reshape(40, 50),
      'tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n         4.9000e+01],\n        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01],\n        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n         1.4900e+02],\n        ...,\n        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n         1.8990e+03],\n        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n         1.9490e+03],\n        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])'],
    ['a summarised int32 vector', arange(1001), 'tensor([   0,    1,    2,  ...,  998,  999, 1000], dtype=torch.int32)'],
  ])('%s', (_, t, repr) => {
    expect(values(t)).toBe(torchValues(repr));
  });

  test('bool values print as JS booleans, aligned', () => {
    expect(values(tensor([true, false]))).toBe('[ true, false]');
  });
});

describe('String(t), console.log and util.inspect', () => {
  afterEach(() => { setPrintOptions(); });

  test('metadata: shape, dtype, backend, and requiresGrad or the function that made it', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(String(x)).toBe('tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32, backend=cpu, requiresGrad=true)');
    expect(x.toString()).toBe(String(x));
    expect(inspect(x)).toBe(String(x));
    expect(String(x.mul(2).sum())).toMatch(/^tensor\(20\., shape=\[\], dtype=float32, backend=cpu, gradFn=<\w+>\)$/);
    expect(String(tensor([0.5], { dtype: 'float64' }))).toBe('tensor([0.5000], shape=[1], dtype=float64, backend=cpu)');
    expect(String(tensor([]).reshape(0, 3))).toBe('tensor([], shape=[0, 3], dtype=float32, backend=cpu)');
    expect(inspect({ weights: tensor([1.5]) })).toBe('{ weights: tensor([1.5000], shape=[1], dtype=float32, backend=cpu) }');
  });

  test('setPrintOptions changes precision, threshold and notation, and returns the previous options', () => {
    const prev = setPrintOptions({ precision: 2 });
    expect(prev.precision).toBe(4);
    expect(values(tensor([1.2345, 2]))).toBe('[1.23, 2.00]');
    setPrintOptions({ threshold: 4, edgeitems: 1 });
    expect(values(tensor([1, 2, 3, 4, 5]))).toBe('[1.,  ..., 5.]');
    setPrintOptions({ sciMode: true, precision: 1 });
    expect(values(tensor([150]))).toBe('[1.5e+02]');
  });
});
