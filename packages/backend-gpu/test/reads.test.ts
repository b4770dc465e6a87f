/**
 * Host reads: every download of a texture waits for the GPU's queue to drain, so a training step
 * should read back once (its loss), never inside an op (with value checks deferred: setCheckMode). `stats().reads` counts downloads (read(),
 * readAsync() and int32 host fallbacks).
 */
import { fromTyped, manualSeed, noGrad, randint, randn, setCheckMode, type Tensor, tidy } from '@graft/core';
import { expect, test, vi } from 'vitest';
import { describeGpu, gpu } from './env.js';

const on = { backend: 'gpu' } as const;
const reads = () => gpu().stats().reads;

/** Host reads made by `fn`. */
function readsIn(fn: () => void): number {
  const before = reads();
  fn();
  return reads() - before;
}

/** One SGD step of a 4 → 8 → 3 MLP inside tidy, with core ops only; returns the loss unread. */
function trainingStep(loss: (out: Tensor) => Tensor): { step: () => Tensor } {
  manualSeed(3);
  const x = randn([16, 4], on);
  const params = [randn([4, 8], on), randn([8], on), randn([8, 3], on), randn([3], on)].map((p) => p.mul(0.5).requiresGrad_());
  return {
    step: () => tidy(() => {
      const [w1, b1, w2, b2] = params;
      const l = loss(x.matmul(w1).add(b1).relu().matmul(w2).add(b2));
      l.backward();
      noGrad(() => params.forEach((p) => p.sub_(p.grad!.mul(0.1))));
      params.forEach((p) => p.zeroGrad());
      return l;
    }),
  };
}

describeGpu('gpu backend: host reads', () => {
  test('each read is counted once; dataAsync() reads through readAsync', async () => {
    const t = fromTyped([1, 2, 3, 4, 5, 6], [2, 3], on);
    expect(readsIn(() => t.data())).toBe(1);
    expect(readsIn(() => t.T.data())).toBe(1); // a strided view: a dense copy on the GPU, then one download
    const readAsync = vi.spyOn(gpu(), 'readAsync');
    const before = reads();
    expect(Array.from(await t.T.dataAsync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(reads() - before).toBe(1);
    expect(readAsync).toHaveBeenCalledTimes(1);
    readAsync.mockRestore();
  });

  test('an MLP training step (forward, MSE loss, backward, SGD update) reads nothing until the loss is read', () => {
    const target = randn([16, 3], on);
    const { step } = trainingStep((out) => out.sub(target).pow(2).mean());
    let loss!: Tensor;
    expect(readsIn(() => { loss = step(); })).toBe(0);
    expect(readsIn(() => loss.item())).toBe(1);
    expect(readsIn(() => { step().dispose(); step().dispose(); })).toBe(0);
  });

  test('with cross-entropy through gather: eager checks read one boolean per gather; deferred checks read nothing until the loss', () => {
    const labels = randint(0, 3, [16], on).unsqueeze(1);
    const { step } = trainingStep((out) => out.logSoftmax(1).gather(1, labels).mean().neg());
    let loss!: Tensor;
    // eager (the default): gather's index range check reads back one boolean before the kernel runs
    expect(readsIn(() => { loss = step(); })).toBe(1);
    expect(readsIn(() => loss.item())).toBe(1);
    try {
      setCheckMode('deferred');
      expect(readsIn(() => { loss = step(); })).toBe(0);
      expect(readsIn(() => loss.item())).toBe(2); // the pending check's boolean, then the loss
      const bad = fromTyped([0, 7], [2, 1], { dtype: 'int32', ...on });
      const out = randn([2, 3], on).gather(1, bad); // no read, no error yet
      expect(() => out.data()).toThrow(/out of range for a dim of size 3/);
    } finally {
      setCheckMode('eager');
    }
  });
});
