/** Writes an example's figure and numbers: `<out>/<name>.svg` and `<out>/<name>.json`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import os from 'node:os';

export interface Provenance { backend: string; epochs: number; seeds: number; seconds: number }

/** Saves the SVG and a JSON of `results`, stamped with the command's options and the machine. */
export function writeResults(out: string, name: string, svg: string, results: object, { backend, epochs, seeds, seconds }: Provenance): void {
  mkdirSync(out, { recursive: true });
  const svgPath = join(out, `${name}.svg`);
  const jsonPath = join(out, `${name}.json`);
  writeFileSync(svgPath, `${svg}\n`);
  const machine = { cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, node: process.version, load1: Number(os.loadavg()[0].toFixed(2)) };
  writeFileSync(jsonPath, `${JSON.stringify({ example: name, backend, epochs, seeds, seconds, machine, ...results }, roundNumbers, 2)}\n`);
  console.log(`\nwrote ${relative(process.cwd(), svgPath)} and ${relative(process.cwd(), jsonPath)}`);
}

/** JSON replacer: 6 significant digits, so the files diff cleanly. */
const roundNumbers = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v);

/** Prints "paper: … / graft: …" blocks, the same text that goes into the JSON. */
export function printClaims(claims: readonly { paper: string; graft: string }[]): void {
  console.log('\nWhat the papers claim, and what graft measured:');
  for (const c of claims) console.log(`- paper: ${c.paper}\n  graft: ${c.graft}`);
}
