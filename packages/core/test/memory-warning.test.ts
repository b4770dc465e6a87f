/**
 * The live-storage warning (memory.ts): storage of a backend that reports buffer sizes
 * (`storageBytes`, as a GPU backend does) is counted while live, and core warns once, naming
 * `tidy`, when the count passes the threshold. Checked on 'sized': the reference backend with
 * `storageBytes` (8 bytes per element, its buffers being Float64Arrays or the like).
 */
import './setup.js';
import { afterEach, describe, expect, test } from 'vitest';
import {
  ArgumentError, type Backend, createReferenceBackend, fromTyped, liveStorageBytes, registerBackend, setMemoryWarning, tidy,
} from '../src/index.js';

registerBackend('sized', (): Backend => ({
  ...createReferenceBackend(),
  name: 'sized',
  storageBytes: (buffer: unknown) => (buffer as ArrayLike<number>).length * 8,
} as Backend));

const on = { backend: 'sized' } as const;
const warnings: string[] = [];
const warnInto = (bytes: number) => setMemoryWarning({ bytes, warn: (m) => warnings.push(m) });

/** One step of a toy loop: 3 intermediates of 128 elements (1 KiB each), the result read back. */
const step = (x: ReturnType<typeof fromTyped>) => x.mul(2).add(1).exp().sum().item();

describe('live storage and the memory warning', () => {
  afterEach(() => { warnings.length = 0; setMemoryWarning(); });

  test('a loop without tidy grows the count and warns once, naming tidy', () => {
    const x = fromTyped(new Array(128).fill(0.01), [128], on);
    warnInto(liveStorageBytes() + 16 * 1024);
    const start = liveStorageBytes();
    const kept: unknown[] = []; // hold the garbage so the GC cannot free it during the test
    for (let i = 0; i < 20; i++) kept.push(x.mul(2).add(1).exp());
    // 3 results of 128 elements a step (plus whatever the scalar operands cost), none freed.
    expect(liveStorageBytes() - start).toBeGreaterThanOrEqual(20 * 3 * 128 * 8);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/tidy\(/);
    expect(warnings[0]).toMatch(/sized storage is live/);
    expect(kept).toHaveLength(20);
  });

  test('the same loop inside tidy keeps the count flat and never warns', () => {
    const x = fromTyped(new Array(128).fill(0.01), [128], on);
    warnInto(liveStorageBytes() + 16 * 1024);
    const start = liveStorageBytes();
    for (let i = 0; i < 50; i++) tidy(() => step(x));
    expect(liveStorageBytes()).toBe(start);
    expect(warnings).toHaveLength(0);
  });

  test('dispose() takes storage out of the count; backends without storageBytes are not counted', () => {
    const start = liveStorageBytes();
    const y = fromTyped([1, 2, 3, 4], [4], on);
    expect(liveStorageBytes()).toBe(start + 32);
    const view = y.reshape([2, 2]); // a view shares the storage: counted once
    expect(liveStorageBytes()).toBe(start + 32);
    y.dispose();
    expect(liveStorageBytes()).toBe(start + 32);
    view.dispose();
    expect(liveStorageBytes()).toBe(start);
    fromTyped([1, 2, 3, 4], [4]); // on 'cpu' (the reference backend: no storageBytes)
    expect(liveStorageBytes()).toBe(start);
  });

  test('the warning re-arms when the threshold is set again; a bad threshold is an ArgumentError', () => {
    const x = fromTyped([1, 2], [2], on);
    warnInto(0);
    x.add(1);
    x.add(1);
    expect(warnings).toHaveLength(1);
    warnInto(0);
    x.add(1);
    expect(warnings).toHaveLength(2);
    expect(() => setMemoryWarning({ bytes: NaN })).toThrow(ArgumentError);
    expect(() => setMemoryWarning({ bytes: -1 })).toThrow("setMemoryWarning: option 'bytes'");
  });
});
