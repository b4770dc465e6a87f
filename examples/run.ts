/** `pnpm example <name> [options]`: runs examples/<name>.ts with the options that follow. */
import { existsSync, readdirSync } from 'node:fs';

const args = process.argv.slice(2).filter((a) => a !== '--');
const name = args[0];
const here = new URL('.', import.meta.url).pathname;
const names = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run.ts', 'common.ts', 'mnist.d.ts'].includes(f)).map((f) => f.slice(0, -3));
if (!name || !existsSync(`${here}${name}.ts`) || !names.includes(name)) {
  console.error(`usage: pnpm example <name> [options]; examples: ${names.sort().join(', ')}`);
  process.exit(1);
}
process.argv.splice(2, process.argv.length - 2, ...args.slice(1)); // the example parses what follows its name
await import(`./${name}.ts`);
