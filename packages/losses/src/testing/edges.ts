/**
 * The edges the generic bench runs every entry at, read from the entry's own declarations: its
 * numeric options at the finite bounds of their declared ranges, and the sizes C = 1 and N = 1
 * where its arguments have those symbols.
 */
import type { LossEntry } from '../define.js';
import type { Option } from '../options.js';

export interface OptionEdge {
  /** 'gamma = 0' */
  label: string;
  option: string;
  value: number;
}

/**
 * How far inside an open bound the bench goes (relative to max(1, |bound|)): an open bound is a value the
 * definition excludes (a division by it, a log of it), so its edge is the nearest value a caller would plausibly
 * pass, not the next float. 1e-3 keeps the results representable in float32 (a temperature of 1e-3 scales
 * logits of ~5 to ~5e3, which exp-normalisers handle; 1e-6 would not be "plausible" and 1e-1 would not be an edge).
 */
export const OPEN_BOUND_STEP = 1e-3;

function bounds(range: string): { lo: number; hi: number; loOpen: boolean; hiOpen: boolean } {
  const m = /^([[(])\s*(-?inf|[-+.\de]+)\s*,\s*(-?inf|[-+.\de]+)\s*([\])])$/.exec(range);
  if (!m) throw new Error(`option range '${range}' is not interval notation`);
  const num = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
  return { lo: num(m[2]), hi: num(m[3]), loOpen: m[1] === '(', hiOpen: m[4] === ')' };
}

/** The edge values of one declared option: each finite bound (one step inside when open), and ±inf when the range includes it. */
export function edgeValues(o: Option): number[] {
  const numeric = o.type === 'number' || o.type === 'integer' || o.type === 'number-or-tensor' || o.type === 'size';
  if (!numeric || !o.range) return [];
  const { lo, hi, loOpen, hiOpen } = bounds(o.range);
  const step = (b: number) => OPEN_BOUND_STEP * Math.max(1, Math.abs(b));
  const integer = o.type === 'integer' || o.type === 'size';
  const edges: number[] = [];
  if (Number.isFinite(lo)) edges.push(loOpen ? (integer ? lo + 1 : lo + step(lo)) : lo);
  else if (!loOpen) edges.push(lo);
  if (Number.isFinite(hi)) edges.push(hiOpen ? (integer ? hi - 1 : hi - step(hi)) : hi);
  else if (!hiOpen) edges.push(hi);
  return [...new Set(edges)];
}

/** Every option edge of an entry, one option at a time (the others at their defaults). */
export function optionEdges(entry: LossEntry): OptionEdge[] {
  return Object.entries(entry.options).flatMap(([option, o]) =>
    edgeValues(o).map((value) => ({ label: `${option} = ${value}`, option, value })));
}

/** Whether any argument of the entry has the shape symbol `sym`. */
export const usesSymbol = (entry: LossEntry, sym: string): boolean =>
  entry.args.some((a) => a.shape.includes(sym) || a.or?.shape.includes(sym) || (a.domain === 'label' && (a.classes ?? 'C') === sym));
