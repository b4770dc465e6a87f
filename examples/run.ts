/**
 * `pnpm example <name> [options]`: runs examples/<name>.ts with the options that follow.
 * `pnpm example browser [--port N] [--host]`: serves the browser page (examples/browser) with Vite's dev server.
 */
import { existsSync, readdirSync } from 'node:fs';

const args = process.argv.slice(2).filter((a) => a !== '--');
const name = args[0];
const here = new URL('.', import.meta.url).pathname;
const scripts = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run.ts', 'common.ts', 'mnist.d.ts'].includes(f)).map((f) => f.slice(0, -3));

if (name === 'browser') {
  const { createServer } = await import('vite');
  const at = args.indexOf('--port');
  const server = await createServer({
    configFile: `${here}browser/vite.config.ts`,
    server: { port: at > 0 ? Number(args[at + 1]) : 5173, host: args.includes('--host') || undefined },
  });
  await server.listen();
  console.log('graft in the browser: an MLP trained on the mnist digits in a Web Worker, on cpu or WebGL2 (Ctrl-C stops the server)');
  server.printUrls();
  console.log(`  core's conformance suite on this browser's WebGL2: ${server.resolvedUrls?.local[0] ?? '/'}conformance.html`);
} else {
  if (!name || !existsSync(`${here}${name}.ts`) || !scripts.includes(name)) {
    console.error(`usage: pnpm example <name> [options]; examples: ${[...scripts, 'browser'].sort().join(', ')}`);
    process.exit(1);
  }
  process.argv.splice(2, process.argv.length - 2, ...args.slice(1)); // the example parses what follows its name
  await import(`./${name}.ts`);
}
