import { ArgumentError } from './errors.js';

/**
 * "Did you mean": the known names closest to a misspelt one, by edit distance on a case- and
 * underscore-blind form. Shared by every validator of names (losses' and optimizers' options).
 */

/** Levenshtein distance (insertions, deletions and substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** `label_smoothing` and `LabelSmoothing` read as `labelsmoothing`, so a snake_case or mis-cased name is distance 0. */
const fold = (s: string) => s.replace(/[_-]/g, '').toLowerCase();

/** Up to `max` known names within distance max(2, ⌊len/3⌋) of `name`, closest first. */
export function closestNames(name: string, known: readonly string[], max = 2): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return known
    .map((k) => ({ k, d: editDistance(fold(name), fold(k)) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, max)
    .map(({ k }) => k);
}

/**
 * Throws an ArgumentError naming `owner` and the first of `given` not in `known`, with the closest
 * known names ("SGD: unknown option 'momentun' (did you mean 'momentum'?)"), else the known ones.
 */
export function checkNames(owner: string, known: readonly string[], given: readonly string[], what = 'option'): void {
  for (const name of given) {
    if (known.includes(name)) continue;
    const near = closestNames(name, known);
    const hint = near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : known.length ? ` (known: ${known.join(', ')})` : ' (it takes none)';
    throw new ArgumentError(owner, `unknown ${what} '${name}'${hint}`);
  }
}
