/**
 * Safetensors: graft reads a file PyTorch trained and wrote (fixtures/interop/, from
 * tools/safetensors_interop.py write) and reproduces PyTorch's outputs; graft's own files round-trip
 * and follow the format (8-byte little-endian header length, JSON header padded to 8 bytes,
 * contiguous little-endian data); malformed files are refused with the reason.
 */
import './setup.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type Tensor, deserializeSafetensors, fromTyped, loadStateDictFromBytes, nn, randn, serializeSafetensors, stateDictToBytes, tensor } from '../src/index.js';
import { load, save } from '../src/serialization/node.js';

const fixtures = new URL('./fixtures/interop/', import.meta.url);
const record = JSON.parse(readFileSync(new URL('torch_model.json', fixtures), 'utf8')) as Record<'input' | 'output', { shape: number[]; data: number[] }>;

/** The architecture of tools/safetensors_interop.py's model(), layer for layer. */
const model = () => new nn.Sequential(
  new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
  new nn.Linear(3 * 2 * 2, 5), new nn.GELU(), new nn.LayerNorm(5), new nn.Linear(5, 2),
);

const vals = (t: Tensor): number[] => Array.from(t.data());

/** The header as the format defines it, parsed by hand (not by graft's reader). */
function header(bytes: Uint8Array): { n: number; json: Record<string, any> } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { n, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) };
}

describe('a PyTorch-trained model loads and reproduces PyTorch', () => {
  test('weights, BatchNorm running statistics and int64 batch count load under torch’s key names; eval outputs match', () => {
    const bytes = new Uint8Array(readFileSync(new URL('torch_model.safetensors', fixtures)));
    const { tensors, metadata } = deserializeSafetensors(bytes);
    expect(metadata.framework).toMatch(/^pytorch/);
    expect(tensors['1.num_batches_tracked'].dtype).toBe('int32');
    expect(tensors['1.num_batches_tracked'].item()).toBe(5);
    const m = model();
    expect(loadStateDictFromBytes(m, bytes)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    m.eval();
    const y = m(fromTyped(record.input.data, record.input.shape));
    expect(y.shape).toEqual(record.output.shape);
    vals(y).forEach((v, i) => expect(Math.abs(v - record.output.data[i])).toBeLessThan(1e-5));
  });

  test('save and load through a file (Node)', async () => {
    const src = model();
    src.loadStateDict(deserializeSafetensors(new Uint8Array(readFileSync(new URL('torch_model.safetensors', fixtures)))).tensors);
    const path = join(mkdtempSync(join(tmpdir(), 'graft-st-')), 'model.safetensors');
    await save(src, path, { metadata: { note: 'graft' } });
    const dst = model();
    expect(await load(dst, path)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = fromTyped(record.input.data, record.input.shape);
    expect(vals(dst.eval()(x))).toEqual(vals(src.eval()(x)));
  });
});

describe("graft's files follow the format", () => {
  test('header: 8-byte little-endian length, JSON padded to 8 bytes, dtype/shape/offsets per tensor, metadata strings', () => {
    const m = model();
    const bytes = stateDictToBytes(m, { metadata: { epoch: '3' } });
    const { n, json } = header(bytes);
    expect(n % 8).toBe(0);
    expect(json.__metadata__).toEqual({ epoch: '3' });
    const names = Object.keys(m.stateDict());
    expect(Object.keys(json).filter((k) => k !== '__metadata__')).toEqual(names);
    let offset = 0;
    for (const [name, t] of Object.entries(m.stateDict())) {
      const size = t.size * (t.dtype === 'int32' ? 4 : t.dtype === 'float64' ? 8 : t.dtype === 'bool' ? 1 : 4);
      expect(json[name]).toEqual({ dtype: { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' }[t.dtype], shape: t.shape, data_offsets: [offset, offset + size] });
      offset += size;
    }
    expect(bytes.length).toBe(8 + n + offset);
    // The data is raw little-endian: the first weight's first value, read by hand.
    expect(new DataView(bytes.buffer, bytes.byteOffset + 8 + n).getFloat32(0, true)).toBe(m.stateDict()['0.weight'].data()[0]);
  });

  test('round trip: graft → bytes → graft keeps every dtype, shape and value (0-d and empty tensors too)', () => {
    const tensors = {
      f32: randn([2, 3]), f64: randn([4], { dtype: 'float64' }), i32: tensor([[-7, 2147483647]], { dtype: 'int32' }),
      flags: tensor([true, false, true]), scalar: tensor(2.5), empty: randn([0, 3]),
    };
    const back = deserializeSafetensors(serializeSafetensors(tensors)).tensors;
    expect(Object.keys(back)).toEqual(Object.keys(tensors));
    for (const [k, t] of Object.entries(tensors)) {
      expect([back[k].dtype, back[k].shape], k).toEqual([t.dtype, t.shape]);
      expect(vals(back[k]), k).toEqual(vals(t));
    }
  });

  test('F16, BF16, I64 and U8 from other writers load as float32 and int32', () => {
    const json = JSON.stringify({
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] }, b: { dtype: 'BF16', shape: [1], data_offsets: [6, 8] },
      l: { dtype: 'I64', shape: [1], data_offsets: [8, 16] }, u: { dtype: 'U8', shape: [2], data_offsets: [16, 18] },
    });
    const bytes = new Uint8Array(8 + json.length + 18);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, BigInt(json.length), true);
    bytes.set(new TextEncoder().encode(json), 8);
    const d = 8 + json.length;
    [0x3c00, 0xc000, 0x7c00].forEach((h, i) => v.setUint16(d + 2 * i, h, true)); // 1, −2, ∞
    v.setUint16(d + 6, 0x3fc0, true); // bfloat16 1.5
    v.setBigInt64(d + 8, -5n, true);
    bytes.set([200, 7], d + 16);
    const t = deserializeSafetensors(bytes).tensors;
    expect([t.h.dtype, vals(t.h)]).toEqual(['float32', [1, -2, Infinity]]);
    expect(vals(t.b)).toEqual([1.5]);
    expect([t.l.dtype, vals(t.l)]).toEqual(['int32', [-5]]);
    expect(vals(t.u)).toEqual([200, 7]);
  });

  test('malformed files are refused with the reason', () => {
    const good = serializeSafetensors({ a: tensor([1, 2]) });
    const { n } = header(good);
    expect(() => deserializeSafetensors(good.subarray(0, 4))).toThrow(/fewer than the 8-byte header length/);
    expect(() => deserializeSafetensors(good.subarray(0, good.length - 1))).toThrow(/data_offsets/);
    const extra = new Uint8Array(good.length + 4);
    extra.set(good);
    expect(() => deserializeSafetensors(extra)).toThrow(/4 data bytes belong to no tensor/);
    const lying = good.slice();
    new DataView(lying.buffer).setBigUint64(0, BigInt(n + 100), true);
    expect(() => deserializeSafetensors(lying)).toThrow(/header claims/);
    expect(() => serializeSafetensors({ __metadata__: tensor([1]) })).toThrow(/reserved/);
  });

  test('loading into the wrong architecture names the mismatched keys', () => {
    const bytes = stateDictToBytes(new nn.Sequential(new nn.Linear(2, 3)));
    expect(() => loadStateDictFromBytes(new nn.Sequential(new nn.Linear(3, 3)), bytes)).toThrow(/size mismatch for 0\.weight/);
    expect(() => loadStateDictFromBytes(new nn.Sequential(new nn.ReLU(), new nn.Linear(2, 3)), bytes)).toThrow(/Missing key\(s\) in state_dict: "1\.weight", "1\.bias"/);
  });
});
