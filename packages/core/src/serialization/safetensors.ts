/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, ...,
 * "__metadata__": {string: string}}` (padded with spaces to a multiple of 8), then the tensors'
 * raw little-endian bytes, row-major, back to back. No code runs on load, and a reader can take
 * one tensor without parsing the others: what PyTorch, JAX and the Hugging Face hub exchange weights in.
 */
import { fromTyped } from '../creation.js';
import type { DType } from '../dtype.js';
import { ArgumentError, DtypeError } from '../errors.js';
import { numel } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Format dtype names, their byte sizes, and how each element is read from / written to a DataView. */
interface Codec {
  bytes: number;
  read(v: DataView, at: number): number;
  write?(v: DataView, at: number, x: number): void;
  /** graft's dtype for tensors of this format dtype. */
  dtype: DType;
}

const codecs: Record<string, Codec> = {
  F64: { bytes: 8, dtype: 'float64', read: (v, at) => v.getFloat64(at, true), write: (v, at, x) => v.setFloat64(at, x, true) },
  F32: { bytes: 4, dtype: 'float32', read: (v, at) => v.getFloat32(at, true), write: (v, at, x) => v.setFloat32(at, x, true) },
  F16: { bytes: 2, dtype: 'float32', read: (v, at) => halfToFloat(v.getUint16(at, true)) },
  BF16: { bytes: 2, dtype: 'float32', read: (v, at) => bfloatToFloat(v.getUint16(at, true)) },
  I64: { bytes: 8, dtype: 'int32', read: readInt64 },
  I32: { bytes: 4, dtype: 'int32', read: (v, at) => v.getInt32(at, true), write: (v, at, x) => v.setInt32(at, x, true) },
  I16: { bytes: 2, dtype: 'int32', read: (v, at) => v.getInt16(at, true) },
  I8: { bytes: 1, dtype: 'int32', read: (v, at) => v.getInt8(at) },
  U8: { bytes: 1, dtype: 'int32', read: (v, at) => v.getUint8(at) },
  BOOL: { bytes: 1, dtype: 'bool', read: (v, at) => (v.getUint8(at) ? 1 : 0), write: (v, at, x) => v.setUint8(at, x ? 1 : 0) },
};

/** The format dtype graft writes for each of its dtypes. */
const formatDtype: Record<DType, string> = { float64: 'F64', float32: 'F32', int32: 'I32', bool: 'BOOL' };

/** An int64 element as an int32 value; values outside int32 are an error, not a silent wrap. */
function readInt64(v: DataView, at: number): number {
  const x = v.getBigInt64(at, true);
  if (x < -2147483648n || x > 2147483647n) throw new DtypeError('safetensors', `int64 value ${x} does not fit graft's int32`);
  return Number(x);
}

/** IEEE half precision → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 (the top half of a float32) → number. */
function bfloatToFloat(b: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, b << 16);
  return v.getFloat32(0);
}

/** What a file holds besides its tensors: free-form string pairs (`__metadata__`). */
export type SafetensorsMetadata = Record<string, string>;

export interface SerializeOptions {
  /** Stored under `__metadata__` (strings only, as the format requires). */
  metadata?: SafetensorsMetadata;
}

/** The bytes of a safetensors file holding `tensors` (in the order given). */
export function serializeSafetensors(tensors: Record<string, Tensor>, { metadata }: SerializeOptions = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new ArgumentError('safetensors', `metadata values must be strings, got ${typeof v} for '${k}'`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === '__metadata__') throw new ArgumentError('safetensors', "'__metadata__' is reserved and cannot name a tensor");
    const dtype = formatDtype[t.dtype];
    const size = t.size * codecs[dtype].bytes;
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
    return { t, dtype };
  });
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8; // the data then starts 8-byte aligned
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const { t, dtype } of entries) {
    const codec = codecs[dtype];
    const values = t.data();
    for (let i = 0; i < values.length; i++, at += codec.bytes) codec.write!(view, at, values[i]);
  }
  return out;
}

interface HeaderEntry { dtype: string; shape: number[]; data_offsets: [number, number] }

/** The parsed and checked header, and where the data starts. */
function readHeader(bytes: Uint8Array): { entries: [string, HeaderEntry][]; metadata: SafetensorsMetadata; dataStart: number } {
  const fail = (why: string): never => { throw new ArgumentError('safetensors', `not a valid safetensors file: ${why}`); };
  if (bytes.length < 8) fail(`${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) fail(`the header claims ${n} bytes but only ${bytes.length - 8} follow`);
  let parsed: unknown;
  try { parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))); } catch (e) { fail(`the header is not JSON (${(e as Error).message})`); }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('the header is not a JSON object');
  const { __metadata__: metadata = {}, ...rest } = parsed as Record<string, unknown>;
  const dataLength = bytes.length - 8 - n;
  const entries = Object.entries(rest) as [string, HeaderEntry][];
  for (const [name, e] of entries) {
    if (!(e?.dtype in codecs)) fail(`tensor '${name}' has unknown dtype ${JSON.stringify(e?.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((s) => Number.isInteger(s) && s >= 0)) fail(`tensor '${name}' has shape ${JSON.stringify(e.shape)}`);
    const [b, end] = e.data_offsets ?? [];
    if (!Number.isInteger(b) || !Number.isInteger(end) || b < 0 || end > dataLength || end - b !== numel(e.shape) * codecs[e.dtype].bytes) {
      fail(`tensor '${name}' (${e.dtype} ${JSON.stringify(e.shape)}) has data_offsets ${JSON.stringify(e.data_offsets)} within ${dataLength} data bytes`);
    }
  }
  // The tensors must tile the data exactly: no overlaps, no gaps.
  const spans = entries.map(([, e]) => e.data_offsets).sort((x, y) => x[0] - y[0]);
  let next = 0;
  for (const [b, end] of spans) {
    if (b !== next) fail(`tensor data leaves a gap or overlaps at byte ${next}`);
    next = end;
  }
  if (next !== dataLength) fail(`${dataLength - next} data bytes belong to no tensor`);
  return { entries, metadata: metadata as SafetensorsMetadata, dataStart: 8 + n };
}

export interface DeserializeOptions {
  /** Backend of the tensors (default: the current default backend). */
  backend?: string;
}

/**
 * The tensors and metadata of safetensors bytes, in header order. F64, F32, I32 and BOOL load as
 * they are; F16 and BF16 widen to float32; I64, I16, I8 and U8 load as int32 (an int64 outside
 * int32's range is an error).
 */
export function deserializeSafetensors(bytes: Uint8Array, { backend }: DeserializeOptions = {}): { tensors: Record<string, Tensor>; metadata: SafetensorsMetadata } {
  const { entries, metadata, dataStart } = readHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, Tensor> = {};
  for (const [name, e] of entries) {
    const codec = codecs[e.dtype];
    const values = new Float64Array(numel(e.shape));
    for (let i = 0, at = dataStart + e.data_offsets[0]; i < values.length; i++, at += codec.bytes) values[i] = codec.read(view, at);
    tensors[name] = fromTyped(values, e.shape, { dtype: codec.dtype, backend });
  }
  return { tensors, metadata };
}
