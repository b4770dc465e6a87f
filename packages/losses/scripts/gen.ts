// Writes src/entries.ts, src/index.ts and README.md (see generate.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEntries, renderIndex, renderReadme, root } from './generate.js';

writeFileSync(join(root, 'src/entries.ts'), renderEntries());
writeFileSync(join(root, 'src/index.ts'), renderIndex());
// The README needs the entries themselves: import them only after entries.ts is current.
// The registry installs the catalog metadata that entries read lazily (define.ts).
const { entries } = await import('../src/entries.js');
await import('../src/registry.js');
writeFileSync(join(root, 'README.md'), renderReadme(entries));
console.log(`generated ${entries.length} entries`);
