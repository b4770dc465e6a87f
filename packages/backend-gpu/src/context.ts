/**
 * Opening gpu.js on a real GL context, and nothing else: the backend refuses gpu.js's silent
 * 'cpu' mode (and its per-kernel CPU fallback), so a tensor on 'gpu' is computed by a GPU — or
 * by Mesa's software rasteriser, which `software` reports — never quietly by JavaScript.
 */
import { BackendError } from '@graft/core';
import { GPU } from 'gpu.js';
import { library, natives } from './glsl.js';

/** The gpu.js modes this backend runs on. WebGPU is not among them: see `GpuMode` in index.ts. */
export type GlMode = 'headlessgl' | 'webgl2' | 'webgl';

export interface GpuContext {
  readonly gpu: GPU;
  readonly mode: GlMode;
  /** The GL renderer string (the unmasked one where the context exposes it). */
  readonly renderer: string;
  /** True under a software rasteriser (Mesa llvmpipe / softpipe / swrast, SwiftShader): the figures are not GPU figures. */
  readonly software: boolean;
  readonly maxTextureSize: number;
}

const SOFTWARE = /llvmpipe|softpipe|swrast|swiftshader|software/i;

/**
 * A browser page (it has a `document`) or a Web Worker with an OffscreenCanvas, where gpu.js draws
 * its WebGL2 context in a worker: WebGL2, else WebGL. Anything else (Node) is headless-gl.
 */
function defaultMode(): GlMode {
  const g = globalThis as { document?: unknown; OffscreenCanvas?: unknown; WorkerGlobalScope?: unknown };
  const page = typeof g.document !== 'undefined';
  const worker = typeof g.WorkerGlobalScope !== 'undefined' && typeof g.OffscreenCanvas !== 'undefined';
  if (!page && !worker) return 'headlessgl';
  return GPU.isWebGL2Supported ? 'webgl2' : 'webgl';
}

/** Node's `require`, resolving from gpu.js (which loads 'gl' itself); null outside Node. */
function gpuJsRequire(): ((id: string) => any) & { resolve(id: string): string } | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => any } }).process;
  const mod = proc?.getBuiltinModule?.('node:module');
  if (!mod) return null;
  const ours = mod.createRequire(import.meta.url);
  try {
    return mod.createRequire(ours.resolve('gpu.js'));
  } catch {
    return ours;
  }
}

/**
 * Why headless-gl gives no context, in one of three words: "gl not installed" (the optional peer
 * `gl` is absent: a browser-only install), "gl failed to build" (installed, but its native module
 * does not load), "no display" (it loads, but creates no context: no X server).
 */
export function whyNoHeadlessGl(): string {
  const req = gpuJsRequire();
  const tail = 'headless-gl also loads in only one thread per process';
  if (!req) return "gl not installed: no GL context is available (headless-gl needs Node's require)";
  try {
    req.resolve('gl');
  } catch {
    return "gl not installed: the GPU backend in Node runs on headless-gl, the optional peer 'gl' of @graft/backend-gpu, which is not installed (`npm install gl`: it compiles a native module, with python3, make, g++ and the X11/GL headers; browsers use WebGL2 and need none of it), or use the 'cpu' backend";
  }
  let create: (w: number, h: number) => unknown;
  try {
    create = req('gl');
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0];
    return `gl failed to build: 'gl' is installed but its native module does not load (${first}); rebuild it with its build tools (python3, make, g++, libxi-dev libx11-dev libxext-dev libgl-dev): \`npm rebuild gl\``;
  }
  let ctx: unknown = null;
  try {
    ctx = create(1, 1);
  } catch {
    ctx = null;
  }
  if (!ctx) {
    const display = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.DISPLAY;
    return `no display: headless-gl loaded but created no GL context (DISPLAY=${display ?? 'unset'}); run under an X server, or \`xvfb-run -a\` with Mesa's software GL; ${tail}`;
  }
  return `no GL context is available: headless-gl creates a context but gpu.js reports it unsupported; ${tail}`;
}

/** Why no GL context can be had here, or null when one can. */
export function whyNoGl(mode: GlMode = defaultMode()): string | null {
  if (mode === 'headlessgl' && !GPU.isHeadlessGLSupported) return whyNoHeadlessGl();
  if (mode === 'webgl2' && !GPU.isWebGL2Supported) return 'no GL context is available: this browser has no WebGL 2';
  if (mode === 'webgl' && !GPU.isWebGLSupported) return 'no GL context is available: this browser has no WebGL';
  return null;
}

function rendererOf(gl: any): string {
  if (!gl) return 'unknown';
  const ext = gl.getExtension?.('WEBGL_debug_renderer_info');
  if (ext) return String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL));
  // headless-gl answers RENDERER with a fixed 'ANGLE'; its native getParameter has the real string.
  const native = Object.getPrototypeOf(Object.getPrototypeOf(gl))?.getParameter;
  const real = typeof native === 'function' ? native.call(gl, gl.RENDERER) : null;
  return String(real ?? gl.getParameter(gl.RENDERER));
}

export function openContext(requested?: GlMode | 'webgpu'): GpuContext {
  if (requested === 'webgpu') {
    throw new BackendError('gpu', "gpu.js's WebGPU mode returns a Promise from every kernel call, and graft's primitives return their buffers synchronously (only readAsync may wait); use 'webgl2', 'webgl' or 'headlessgl'");
  }
  const mode = requested ?? defaultMode();
  const why = whyNoGl(mode);
  if (why) throw new BackendError('gpu', why);
  let gpu: GPU;
  try {
    gpu = new GPU({ mode });
  } catch (e) {
    throw new BackendError('gpu', `no GL context is available: gpu.js could not open mode '${mode}' (${(e as Error).message})`);
  }
  if (gpu.mode !== mode) {
    throw new BackendError('gpu', `no GL context is available: gpu.js chose mode '${gpu.mode}' instead of '${mode}' (its 'cpu' mode is refused: it would be JavaScript posing as a GPU)`);
  }
  (gpu as GPU & { injectNative(source: string): GPU }).injectNative(library); // in gpu.js, missing from its typings
  for (const n of natives) gpu.addNativeFunction(n.name, n.source, { returnType: n.returnType });
  // gpu.js opens the GL context lazily, with the first kernel: build a tiny one to get it now.
  const probe = gpu.createKernel('function() { return 1; }', { output: [1], precision: 'single' });
  probe();
  const kernel = (probe as any).kernel;
  if (!kernel || kernel.constructor?.name === 'CPUKernel' || !gpu.context) {
    throw new BackendError('gpu', 'no GL context is available: gpu.js fell back to its CPU kernel');
  }
  const gl = gpu.context as any;
  const renderer = rendererOf(gl);
  const maxTextureSize = Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) || 4096;
  return { gpu, mode, renderer, software: SOFTWARE.test(renderer), maxTextureSize };
}
