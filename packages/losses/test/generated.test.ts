// The generated files (src/entries.ts, src/index.ts, README.md) must be current: run `pnpm --filter @graft/losses gen`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { renderEntries, renderIndex, renderReadme, root } from '../scripts/generate.js';
import { entries } from '../src/entries.js';
import '../src/registry.js'; // installs the catalog metadata the README reads

test.each([
  ['src/entries.ts', renderEntries],
  ['src/index.ts', renderIndex],
  ['README.md', () => renderReadme(entries)],
] as const)('%s is current', (file, render) => {
  expect(readFileSync(join(root, file), 'utf8'), `${file} is stale: run pnpm --filter @graft/losses gen`).toBe(render());
});
