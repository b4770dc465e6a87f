/**
 * Creation and coercion never build a garbage tensor (issue 8 §2). The bad inputs are error rows
 * of the op table (testing/rows/creation.ts, run on every backend); these are the good inputs
 * around them, whose values must be PyTorch's, and the checks that need two backends.
 */
import './setup.js';
import { describe, expect, test } from 'vitest';
import {
  BackendError, createReferenceBackend, full, hasBackend, nn, randint, registerBackend, tensor, zeros,
} from '../src/index.js';

if (!hasBackend('coercion-peer')) registerBackend('coercion-peer', createReferenceBackend);

describe('values at the edge of a dtype', () => {
  test('bool stores 0 or 1: any non-zero value, NaN included, is true (as torch.tensor(..., dtype=bool))', () => {
    const b = tensor([2, NaN, 0, -0.5], { dtype: 'bool' });
    expect(Array.from(b.data())).toEqual([1, 1, 0, 1]);
    expect(Array.from(full([2], 7, { dtype: 'bool' }).data())).toEqual([1, 1]);
    expect(Array.from(zeros([2], { dtype: 'bool' }).newFull([2], -3).data())).toEqual([1, 1]);
  });

  test('int32 holds exactly [-2^31, 2^31 - 1] and truncates fractions toward zero, as PyTorch', () => {
    expect(tensor([2 ** 31 - 1, -(2 ** 31), 1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([2 ** 31 - 1, -(2 ** 31), 1, -1]);
    const r = Array.from(randint(-(2 ** 31), 2 ** 31, [200]).data());
    expect(r.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
  });

  test('non-integer scalars promote int32 to float32 instead of failing (an integer beyond int32 is an error row)', () => {
    const x = tensor([1, 2], { dtype: 'int32' });
    expect(x.add(0.5).toArray()).toEqual([1.5, 2.5]);
    expect(x.add(NaN).toArray()).toEqual([NaN, NaN]);
    expect(x.add(true).toArray()).toEqual([2, 3]);
  });

  test('bool arithmetic other than subtraction and negation still works (PyTorch allows b + b, b * b)', () => {
    const b = tensor([true, false]);
    expect(b.add(b).toArray()).toEqual([true, false]);
    expect(b.mul(b).toArray()).toEqual([true, false]);
    expect(tensor([1.5, 2]).sub(1).toArray()).toEqual([0.5, 1]);
  });
});

describe('gradients given to backward and assigned to .grad', () => {
  test('backward(gradient) of another dtype casts it to the output dtype, as PyTorch', () => {
    for (const dtype of ['float64', 'int32', 'bool'] as const) {
      const x = tensor([1, 2], { requiresGrad: true });
      x.mul(3).backward(tensor([1, 1], { dtype }));
      expect([x.grad!.dtype, x.grad!.toArray()]).toEqual(['float32', [3, 3]]);
    }
  });

  test('backward(gradient) on another backend is a BackendError', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(3).backward(tensor([1, 1], { backend: 'coercion-peer' }))).toThrow(BackendError);
  });

  test('.grad accepts null and a tensor of its own shape, dtype and backend', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.grad = tensor([5, 6]);
    expect(x.grad.toArray()).toEqual([5, 6]);
    x.grad = null;
    expect(x.grad).toBeNull();
    expect(() => { x.grad = tensor([5, 6], { backend: 'coercion-peer' }); }).toThrow(BackendError);
  });
});

describe('layers and large inputs', () => {
  test('the smallest valid layers have finite parameters', () => {
    const lin = new nn.Linear(1, 1);
    const conv = new nn.Conv2d(1, 1, 1);
    for (const p of [lin.weight, lin.bias!, conv.weight, conv.bias!]) expect(Array.from(p.data()).every(Number.isFinite)).toBe(true);
  });

  test('oneHot of 200,000 labels does not overflow the stack', () => {
    const labels = tensor(Int32Array.from({ length: 200_000 }, (_, i) => i % 3));
    expect(labels.oneHot().shape).toEqual([200_000, 3]);
  });
});
