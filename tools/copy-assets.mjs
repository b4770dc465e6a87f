// Copies a package's runtime assets (fixtures JSON) next to its compiled files: `node copy-assets.mjs <from> <to>`, run from the package.
import { cpSync, rmSync } from 'node:fs';

const [from, to] = process.argv.slice(2);
if (!from || !to) throw new Error('usage: node tools/copy-assets.mjs <from> <to>');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
