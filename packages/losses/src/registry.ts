/**
 * registry.get(id) and registry.list(filter) over every entry (the list and the id → entry type map
 * are generated into entries.ts). An entry's aliases reach it too.
 */
import { ArgumentError, closestNames } from '@graft/core';
import { catalogEntry, type Kind, type Level } from './catalog.js';
import { type LossEntry, useCatalog } from './define.js';
import { type EntryById, entries } from './entries.js';

// The catalog's metadata (names, categories, papers) loads with the registry, not with each objective.
useCatalog(catalogEntry);

/** Every id and alias of the registry. */
export type LossId = keyof EntryById;

const byId = new Map<string, LossEntry>(entries.flatMap((e) => [e.id, ...(e.aliases ?? [])].map((id) => [id, e] as const)));
// Every entry's metadata resolves now: an id outside the catalog without meta fails at load, as before.
for (const e of entries) void e.name;

export interface ListFilter {
  category?: string;
  kind?: Kind;
  level?: Level;
}

export const registry = {
  /**
   * The entry with this id or alias; throws naming the closest ids when there is none. A literal id
   * is typed per entry (`registry.get('focal').fn` has focalLoss's signature) and a misspelt literal
   * is a compile error; a `string` gives a plain LossEntry.
   */
  get<K extends string>(id: K & (string extends K ? string : LossId)): K extends LossId ? EntryById[K] : LossEntry {
    const e = byId.get(id);
    if (!e) {
      const near = closestNames(id, [...byId.keys()], 3);
      throw new ArgumentError('registry.get', `no objective with id '${id}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : ''}`);
    }
    return e as K extends LossId ? EntryById[K] : LossEntry;
  },
  has: (id: string): boolean => byId.has(id),
  /** Entries matching every given field, in id order (each once, whatever its aliases). */
  list(filter: ListFilter = {}): LossEntry[] {
    return [...entries]
      .filter((e) => (filter.category === undefined || e.category === filter.category)
        && (filter.kind === undefined || e.kind === filter.kind)
        && (filter.level === undefined || e.level === filter.level))
      .sort((a, b) => a.id.localeCompare(b.id));
  },
};
