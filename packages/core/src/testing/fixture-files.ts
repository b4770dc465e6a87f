/**
 * The text of every fixtures/ops*.json, in name order: read from the folder beside this file (the
 * sources, or dist/testing where the build copies it). A browser bundle has no files to read: it
 * swaps this module for one that imports the same JSON (examples/browser/src/conformance/fixture-files.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';

const FIXTURES_DIR = new URL('./fixtures/', import.meta.url);

export function readFixtureFiles(): string[] {
  return readdirSync(FIXTURES_DIR).filter((f) => /^ops.*\.json$/.test(f)).sort().map((f) => readFileSync(new URL(f, FIXTURES_DIR), 'utf8'));
}
