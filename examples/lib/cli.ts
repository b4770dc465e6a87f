/**
 * Command-line options shared by every example: `--backend cpu|gpu` (the GPU package is imported
 * only when asked for), `--epochs`, `--seeds`, `--out` (where the figure and JSON go).
 */
import '@graft/backend-cpu'; // registers 'cpu', the default
import { parseArgs } from 'node:util';
import { hasBackend, listBackends, setBackend } from '@graft/core';

export interface ExampleArgs {
  backend: string;
  epochs: number;
  seeds: number;
  /** Folder for `<name>.svg` and `<name>.json` (default: examples/results). */
  out: string;
}

/** Prints `message` and exits with status 1 (for bad command-line input). */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * Parses the shared options (with this example's defaults), selects the backend, and prints the
 * usage line on --help.
 */
export async function exampleArgs(usage: string, defaults: { epochs: number; seeds?: number }): Promise<ExampleArgs> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'), // pnpm may pass a bare '--' through
    options: {
      backend: { type: 'string', default: 'cpu' },
      epochs: { type: 'string', default: String(defaults.epochs) },
      seeds: { type: 'string', default: String(defaults.seeds ?? 1) },
      out: { type: 'string', default: new URL('../results', import.meta.url).pathname },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`${usage}\n  --backend cpu|gpu  (default cpu)\n  --epochs N         (default ${defaults.epochs})\n` +
      `  --seeds N          (default ${defaults.seeds ?? 1})\n  --out DIR          figure and JSON folder (default examples/results)`);
    process.exit(0);
  }
  const epochs = Number(values.epochs);
  const seeds = Number(values.seeds);
  if (!Number.isInteger(epochs) || epochs < 1) fail(`--epochs expects a positive integer, got ${values.epochs}`);
  if (!Number.isInteger(seeds) || seeds < 1) fail(`--seeds expects a positive integer, got ${values.seeds}`);
  await useBackend(values.backend!);
  return { backend: values.backend!, epochs, seeds, out: values.out! };
}

/** Makes `name` the default backend, loading the optional GPU package first when asked for 'gpu'. */
export async function useBackend(name = 'cpu'): Promise<void> {
  if (name === 'gpu') {
    const pkg = '@graft/backend-gpu'; // a variable, so nothing loads it unless asked for
    try {
      await import(pkg);
    } catch (e) {
      fail(`--backend gpu needs ${pkg}, which could not be loaded: ${(e as Error).message}`);
    }
    if (!hasBackend('gpu')) fail(`${pkg} loaded but registered no 'gpu' backend`);
  }
  if (!hasBackend(name)) fail(`no backend named '${name}' is registered (registered: ${listBackends().join(', ')})`);
  try {
    setBackend(name); // opens the backend: the gpu one fails here, saying why, when there is no GL context
  } catch (e) {
    fail((e as Error).message);
  }
}
