/**
 * Where values cross between the host and the GPU: uploads (fromArray), downloads (read, and
 * every `Runtime.download`, which `stats().reads` counts) and the int32 host fallback.
 *
 * The int32 policy, in one place: a texture holds float32, exact for integers within ±2^24, and
 * every buffer carries a static bound of its values. A primitive runs on the reference backend,
 * with its operands brought to the host, when an operand already lives there or when the primitive
 * says its int32 result could leave ±2^24; the result goes back to a texture unless it really
 * does leave that range (fromArray). So int32 is exact everywhere, and only large integers cost
 * a round trip.
 */
import { type Backend, createReferenceBackend, type DType, numel, type TypedArray, type View } from '@graft/core';
import { type GpuBuffer, type GView, INT_LIMIT, type Runtime } from './runtime.js';

type Gpu = Required<Backend<GpuBuffer>>;
/** The primitives that compute from views (the int32 policy applies to each). */
export type Primitive = 'contiguous' | 'cast' | 'unary' | 'binary' | 'where' | 'reduce' | 'argReduce' | 'cumsum'
  | 'matmul' | 'gather' | 'scatterAdd' | 'indexSelect' | 'sort' | 'concat';
/** A kernel: the primitive's own signature with the runtime first. */
export type Kernel<P extends Primitive> = (rt: Runtime, ...args: Parameters<Gpu[P]>) => ReturnType<Gpu[P]>;

const ref = createReferenceBackend();

/** Whether an int32 result bounded by `bound` is exact in a float32 texture (every other dtype is). */
export const exactIn = (dtype: DType, bound: number): boolean => dtype !== 'int32' || bound <= INT_LIMIT;

const arrayOf = (dtype: DType, values: Float32Array): TypedArray =>
  dtype === 'int32' ? Int32Array.from(values) : dtype === 'bool' ? Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0)) : values;

export function fromArray(rt: Runtime, data: TypedArray, dtype: DType): GpuBuffer {
  if (data.length === 0) return rt.empty(dtype);
  if (dtype === 'int32') {
    const ints = data instanceof Int32Array ? data : Int32Array.from(data);
    const bound = ints.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (bound > INT_LIMIT) return rt.hostInt(Int32Array.from(ints));
    return rt.wrap(rt.upload(Float32Array.from(ints)), ints.length, dtype, bound);
  }
  const values = dtype === 'bool' ? Float32Array.from(data, (v) => (v !== 0 ? 1 : 0)) : data instanceof Float32Array ? data : Float32Array.from(data);
  return rt.wrap(rt.upload(values), values.length, dtype, 1);
}

/** Every value of the buffer, on the host, as its dtype's typed array. */
const hostArray = (rt: Runtime, buf: GpuBuffer): TypedArray => buf.host ?? arrayOf(buf.dtype, rt.download(buf));
const hostView = (rt: Runtime, v: GView): View<TypedArray> => ({ ...v, buffer: hostArray(rt, v.buffer) });

/** Whether the view covers its whole buffer in row-major order (so the buffer's values are the answer). */
function isWhole(x: GView): boolean {
  if (x.offset !== 0 || numel(x.shape) !== x.buffer.size) return false;
  let expect = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    if (x.shape[d] !== 1 && x.strides[d] !== expect) return false;
    expect *= x.shape[d];
  }
  return true;
}

/** A dense copy of the view on the host: one download (of a dense copy made first, for a strided view). */
export function read(rt: Runtime, contiguous: (x: GView) => GpuBuffer, x: GView): TypedArray {
  if (x.buffer.host) return ref.read(hostView(rt, x));
  if (numel(x.shape) === 0) return arrayOf(x.dtype, new Float32Array(0));
  // copied: download may return a view into the texture's larger (padded) array
  if (isWhole(x)) return arrayOf(x.dtype, Float32Array.from(rt.download(x.buffer)));
  const tmp = contiguous(x);
  try {
    return arrayOf(x.dtype, Float32Array.from(rt.download(tmp)));
  } finally {
    rt.dispose(tmp);
  }
}

const isView = (a: unknown): a is GView => typeof a === 'object' && a !== null && 'buffer' in a && 'strides' in a;

/**
 * The primitive `name` of the backend: `kernel` on the GPU, or the reference backend on the host
 * when an operand lives on the host or `exact(...args)` is false (an int32 result that could leave
 * ±2^24; absent: always exact).
 */
export function gpuOrHost<P extends Primitive>(rt: Runtime, name: P, kernel: Kernel<P>, exact?: (...args: Parameters<Gpu[P]>) => boolean): Gpu[P] {
  const run = (...args: Parameters<Gpu[P]>): ReturnType<Gpu[P]> => {
    const views = args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter(isView);
    if (!views.some((v) => v.buffer.host) && (!exact || exact(...args))) return kernel(rt, ...args);
    const onHost = args.map((a) => (isView(a) ? hostView(rt, a) : Array.isArray(a) ? a.map((v) => (isView(v) ? hostView(rt, v) : v)) : a));
    const out = (ref[name] as (...a: unknown[]) => TypedArray | { values: TypedArray; indices: TypedArray })(...onHost);
    return (ArrayBuffer.isView(out) ? upload(rt, out) : { values: upload(rt, out.values), indices: upload(rt, out.indices) }) as ReturnType<Gpu[P]>;
  };
  return run as unknown as Gpu[P];
}

/** A reference-backend result back into a buffer of its dtype. */
const upload = (rt: Runtime, out: TypedArray): GpuBuffer =>
  fromArray(rt, out, out instanceof Int32Array ? 'int32' : out instanceof Uint8Array ? 'bool' : 'float32');
