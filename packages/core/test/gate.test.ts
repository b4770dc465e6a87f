/**
 * One gate (docs/backends.md §3): core reaches a backend only through ops/primitives.ts. A call
 * written anywhere else (`x.backend.gather(...)`, `getBackend(name).fill(...)`) fails this test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
/** Where core's ops live; backend/ (the contract itself), testing/, nn/ and memory.ts are outside this rule. */
const scanned = ['ops', 'linalg', 'autograd', 'sampling.ts', 'creation.ts', 'tensor.ts', 'functional.ts', 'random.ts'];
const gate = join('ops', 'primitives.ts');

/** A backend reached directly: `.backend.` / `.backend?.`, a Backend read off a tensor's storage, or getBackend(). */
const direct = [/\.backend\??\./, /\bstorage\.backend\b/, /\bgetBackend\(/];
/** The Tensor's own accessor for its storage's backend (metadata, used by the gate and dtype checks). */
const allowed = [/^\s*get backend\(\): Backend \{ return this\.storage\.backend; \}$/];

const files = (path: string): string[] =>
  statSync(path).isDirectory() ? readdirSync(path).flatMap((f) => files(join(path, f))) : path.endsWith('.ts') ? [path] : [];

export function directCalls(source: string): string[] {
  return source.split('\n').filter((line) => direct.some((p) => p.test(line)) && !allowed.some((p) => p.test(line)));
}

describe('one gate into backends', () => {
  it('the grep finds a direct call (self-test)', () => {
    expect(directCalls('  return d.wrapLike(x, x.backend.gather(v, 0, i), s);\n  const b = getBackend(n);')).toHaveLength(2);
    expect(directCalls('  const name = opts.backend ?? defaultBackendName();')).toEqual([]);
  });

  it("no core op calls a backend outside ops/primitives.ts", () => {
    const offenders = scanned
      .flatMap((p) => files(join(src, p)))
      .filter((f) => relative(src, f) !== gate)
      .flatMap((f) => directCalls(readFileSync(f, 'utf8')).map((line) => `${relative(src, f)}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });
});
