/** TensorDataset, DataLoader (batching, seeded shuffles, dropLast, collate) and randomSplit, PyTorch's semantics. */
import './setup.js';
import { describe, expect, test } from 'vitest';
import { DataLoader, type Dataset, Generator, Subset, TensorDataset, type Tensor, arange, defaultCollate, manualSeed, randomSplit, tensor } from '../src/index.js';

const vals = (t: Tensor): number[] => Array.from(t.data());
const xs = arange(10, undefined, 1, { dtype: 'float32' }).reshape(5, 2); // rows [0,1], [2,3], ...
const ys = arange(5);
const ds = new TensorDataset(xs, ys);

describe('TensorDataset', () => {
  test('item i is row i of every tensor; length is the shared first dim', () => {
    expect(ds.length).toBe(5);
    const [x, y] = ds.get(3);
    expect([vals(x), y.item()]).toEqual([[6, 7], 3]);
    expect(vals(ds.get(-1)[0])).toEqual([8, 9]);
    expect(() => ds.get(5)).toThrow(/index 5 is out of range for 5 items/);
    expect(() => new TensorDataset(xs, arange(4))).toThrow(/size mismatch between tensors/);
  });
});

describe('DataLoader', () => {
  test('sequential batches; the last one smaller unless dropLast', () => {
    const loader = new DataLoader(ds, { batchSize: 2 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([, y]) => vals(y))).toEqual([[0, 1], [2, 3], [4]]);
    expect(batches[0][0].shape).toEqual([2, 2]);
    const dropped = new DataLoader(ds, { batchSize: 2, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].map(([, y]) => vals(y))).toEqual([[0, 1], [2, 3]]);
  });

  test('shuffle: every item once per epoch, a new order each epoch, the same sequence after reseeding', () => {
    const loader = new DataLoader(ds, { batchSize: 2, shuffle: true });
    const epoch = () => [...loader].flatMap(([, y]) => vals(y));
    manualSeed(4);
    const first = [epoch(), epoch(), epoch()];
    for (const e of first) expect([...e].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(first.map(String)).size).toBeGreaterThan(1);
    manualSeed(4);
    expect([epoch(), epoch(), epoch()]).toEqual(first);
    const seeded = () => [...new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(9) })].flatMap(([, y]) => vals(y));
    expect(seeded()).toEqual(seeded());
  });

  test('a custom collate function gets the items of each batch', () => {
    const loader = new DataLoader(ds, { batchSize: 3, collate: (items: Tensor[][]) => items.map(([, y]) => y.item()) });
    expect([...loader]).toEqual([[0, 1, 2], [3, 4]]);
  });

  test('any dataset with length and get works; defaultCollate stacks tensors and batches numbers, arrays and objects', () => {
    const squares: Dataset<{ x: Tensor; label: number; flag: boolean }> = { length: 4, get: (i) => ({ x: tensor([i, i * i]), label: i, flag: i % 2 === 0 }) };
    const [b] = [...new DataLoader(squares, { batchSize: 4 })];
    expect(b.x.shape).toEqual([4, 2]);
    expect(vals(b.x)).toEqual([0, 0, 1, 1, 2, 4, 3, 9]);
    expect([b.label.dtype, vals(b.label)]).toEqual(['int32', [0, 1, 2, 3]]);
    expect(b.flag.dtype).toBe('bool');
    expect(defaultCollate([0.5, 1]).dtype).toBe('float32');
    expect(() => defaultCollate(['a'])).toThrow(/pass a collate function/);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });

  test('the batched path (getBatch) and the per-item path give the same batches', () => {
    const fast = [...new DataLoader(ds, { batchSize: 2 })];
    const slow = [...new DataLoader({ length: ds.length, get: (i: number) => ds.get(i) }, { batchSize: 2 })];
    expect(fast.map((b) => b.map(vals))).toEqual(slow.map((b: Tensor[]) => b.map(vals)));
  });
});

describe('randomSplit', () => {
  test('lengths: disjoint subsets that cover the dataset, seeded', () => {
    const [a, b] = randomSplit(ds, [3, 2], { generator: new Generator(1) });
    expect([a.length, b.length]).toEqual([3, 2]);
    expect([...a.indices, ...b.indices].sort()).toEqual([0, 1, 2, 3, 4]);
    const [a2] = randomSplit(ds, [3, 2], { generator: new Generator(1) });
    expect(a2.indices).toEqual(a.indices);
    expect(a).toBeInstanceOf(Subset);
    expect(a.get(0)[1].item()).toBe(a.indices[0]);
  });

  test('fractions: floors, the remainder handed out from the first (PyTorch)', () => {
    const big = new TensorDataset(arange(10));
    expect(randomSplit(big, [0.55, 0.45]).map((s) => s.length)).toEqual([6, 4]);
    expect(randomSplit(big, [1 / 3, 1 / 3, 1 / 3]).map((s) => s.length)).toEqual([4, 3, 3]);
    expect(() => randomSplit(big, [5, 4])).toThrow(/sum of input lengths/);
  });

  test('a subset batches through its dataset in a DataLoader', () => {
    const [train] = randomSplit(ds, [4, 1], { generator: new Generator(2) });
    const ys2 = [...new DataLoader(train, { batchSize: 4 })].flatMap(([, y]) => vals(y));
    expect(ys2).toEqual(train.indices);
  });
});
