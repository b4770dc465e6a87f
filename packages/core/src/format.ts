/**
 * Printing tensors as PyTorch does (torch/_tensor_str.py): one number format for the whole tensor
 * (integers as `1.`, fixed `1.2346` or scientific `1.2346e+05` by the same rules), right-aligned to
 * one width, rows wrapped at the line width, and tensors of more than `threshold` elements
 * summarised to `edgeitems` per side with `...`. Then graft's metadata: shape, dtype, backend,
 * requiresGrad and the function that made it.
 */
import { fmtShape } from './errors.js';
import type { Tensor } from './tensor.js';

/** PyTorch's print options (torch.set_printoptions), in graft's names. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** Summarise tensors with more elements than this (default 1000). */
  threshold: number;
  /** Items kept at each end of a summarised dim (default 3). */
  edgeitems: number;
  /** Characters per line before a row wraps (default 80). */
  linewidth: number;
  /** Force scientific notation on (true) or off (false); default: PyTorch's choice by magnitudes. */
  sciMode?: boolean;
}

const defaults: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 };
let options: PrintOptions = { ...defaults };

/** Changes how tensors print, as torch.set_printoptions; `setPrintOptions()` restores the defaults. Returns the previous options. */
export function setPrintOptions(next?: Partial<PrintOptions>): PrintOptions {
  const prev = options;
  options = next ? { ...options, ...next } : { ...defaults };
  return prev;
}

/** A nested view of the (summarised) values: a number, or per-index children with `null` where `...` goes. */
type Node = number | (Node | null)[];

/** The values to print, nested by dim; dims longer than 2·edgeitems keep their ends when summarising. */
function nest(values: ArrayLike<number>, shape: readonly number[], summarise: boolean, edge: number): Node {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const build = (dim: number, offset: number): Node => {
    if (dim === shape.length) return values[offset];
    const n = shape[dim];
    const pick = (i: number) => build(dim + 1, offset + i * strides[dim]);
    if (summarise && n > 2 * edge) {
      return [...Array.from({ length: edge }, (_, i) => pick(i)), null, ...Array.from({ length: edge }, (_, i) => pick(n - edge + i))];
    }
    return Array.from({ length: n }, (_, i) => pick(i));
  };
  return build(0, 0);
}

const leaves = (node: Node | null): number[] => (node === null ? [] : typeof node === 'number' ? [node] : node.flatMap(leaves));

/** PyTorch's _Formatter: one format for every printed value. */
function formatterFor(t: Tensor, values: number[]): (v: number) => string {
  const { precision, sciMode } = options;
  if (t.dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (t.dtype === 'int32') return (v) => String(v);
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  const finite = values.filter(Number.isFinite);
  const magnitudes = finite.map(Math.abs).filter((v) => v !== 0);
  const max = magnitudes.length ? Math.max(...magnitudes) : 0;
  const min = magnitudes.length ? Math.min(...magnitudes) : 0;
  const intMode = finite.every(Number.isInteger);
  const sci = sciMode ?? (magnitudes.length > 0 && (intMode ? max / min > 1000 || max > 1e8 : max / min > 1000 || max > 1e8 || min < 1e-4));
  if (sci) return (v) => special(v) ?? v.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
  if (intMode) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  return (v) => special(v) ?? v.toFixed(precision);
}

/** The bracketed values, laid out from column `indent` (PyTorch's _tensor_str_with_formatter). */
function layout(node: Node, fmt: (v: number) => string, width: number, indent: number, depth: number): string {
  if (typeof node === 'number') return fmt(node).padStart(width);
  if (depth === 1) {
    const items = node.map((v) => (v === null ? ' ...' : fmt(v as number).padStart(width)));
    const perLine = Math.max(Math.floor((options.linewidth - indent) / (width + 2)), 1);
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const rows = node.map((child) => (child === null ? '...' : layout(child, fmt, width, indent + 1, depth - 1)));
  return `[${rows.join(`,${'\n'.repeat(depth - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** The values part of a tensor's repr: `[[1.0000, 2.0000], [3.0000, 4.0000]]` laid out from column `indent`. */
export function formatValues(t: Tensor, indent = 0): string {
  if (t.size === 0) return '[]';
  const summarise = t.size > options.threshold;
  const node = nest(t.data(), t.shape, summarise, options.edgeitems);
  const shown = leaves(node);
  const fmt = formatterFor(t, shown);
  const width = Math.max(...shown.map((v) => fmt(v).length));
  return layout(node, fmt, width, indent, t.ndim);
}

/**
 * PyTorch's repr with graft's metadata, e.g.
 * `tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2], dtype=float32, backend=cpu, requiresGrad=true)`.
 */
export function formatTensor(t: Tensor): string {
  const meta = [`shape=${fmtShape(t.shape)}`, `dtype=${t.dtype}`, `backend=${t.backendName}`];
  if (t.gradFn) meta.push(`gradFn=<${t.gradFn.constructor.name}>`);
  else if (t.requiresGrad) meta.push('requiresGrad=true');
  const values = t.isDisposed ? '<disposed>' : formatValues(t, 'tensor('.length);
  return `tensor(${values}, ${meta.join(', ')})`;
}
