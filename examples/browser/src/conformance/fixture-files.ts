/**
 * The conformance page's stand-in for core's testing/fixture-files.ts (which reads the op fixtures
 * with node:fs): the same fixtures/ops*.json, bundled by Vite, in name order. vite.config.ts aliases
 * core's module to this one.
 */
const files = import.meta.glob('../../../../packages/core/src/testing/fixtures/ops*.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;

export function readFixtureFiles(): string[] {
  return Object.keys(files).sort().map((path) => files[path]);
}
