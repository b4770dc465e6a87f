/**
 * PyTorch's torch.einsum: parse the equation, take diagonals of repeated subscripts, then contract
 * the operands left to right, each pair as one batched matmul (batch · kept · contracted dims
 * flattened), and sum / permute into the output order. Only Tensor ops, so it is differentiable
 * to any order on every backend.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import * as p from './primitives.js';

const OP = 'einsum';
/** Subscripts as numbers: A–Z are 0–25 and a–z 26–51 (the implicit output's sort order, as PyTorch); ellipsis dims are 52, 53, .... */
const ELL = 52;
const labelOf = (c: string): number => (c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 65 : c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 97 + 26 : -1);
const nameOf = (id: number): string => (id < 26 ? String.fromCharCode(65 + id) : id < ELL ? String.fromCharCode(97 + id - 26) : '...');

interface Term { labels: number[]; ellipsisAt: number }

/** One side of the equation ("ij", "b...k"): its labels and where its '...' sits (−1 if none). */
function parseTerm(term: string, start: number, what: string): Term {
  const labels: number[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '.') {
      if (term.slice(i, i + 3) !== '...') throw new ArgumentError(OP, `found '.' for ${what} that is not part of any ellipsis, expected '...'`);
      if (ellipsisAt >= 0) throw new ArgumentError(OP, `found more than one ellipsis for ${what}, expected at most one`);
      ellipsisAt = labels.length;
      i += 2;
    } else {
      const id = labelOf(c);
      if (id < 0) throw new ArgumentError(OP, `invalid subscript '${c}' at index ${start + i} in the equation string, expected subscripts in [a-zA-Z]`);
      labels.push(id);
    }
  }
  return { labels, ellipsisAt };
}

/** The diagonal over dims a < b (of equal size n): moved last, flattened to n·n, every (n + 1)-th entry. */
function diagonal(x: Tensor, a: number, b: number): Tensor {
  const n = x.shape[a];
  const rest = x.shape.map((_, i) => i).filter((i) => i !== a && i !== b);
  const flat = x.permute([...rest, a, b]).reshape([...rest.map((i) => x.shape[i]), n * n]);
  const index = p.fromHost(x, Int32Array.from({ length: n }, (_, i) => i * (n + 1)), [n], 'int32');
  return flat.indexSelect(-1, index);
}

interface Operand { t: Tensor; ids: number[] }

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** Sums out the dims of `o` whose ids are not in `keep`. */
function sumOut(o: Operand, keep: (id: number) => boolean): Operand {
  const axes = o.ids.map((id, i) => (keep(id) ? -1 : i)).filter((i) => i >= 0);
  return axes.length ? { t: o.t.sum(axes), ids: o.ids.filter((id) => keep(id)) } : o;
}

/** a·b summed over their shared ids that are not in `keep`, as one matmul [batch, aOnly, c] @ [batch, c, bOnly]. */
function contract(a: Operand, b: Operand, keep: Set<number>, size: Map<number, number>): Operand {
  const A = sumOut(a, (id) => keep.has(id) || b.ids.includes(id));
  const B = sumOut(b, (id) => keep.has(id) || a.ids.includes(id));
  const batch = A.ids.filter((id) => B.ids.includes(id) && keep.has(id));
  const inner = A.ids.filter((id) => B.ids.includes(id) && !keep.has(id));
  const aOnly = A.ids.filter((id) => !B.ids.includes(id));
  const bOnly = B.ids.filter((id) => !A.ids.includes(id));
  const sizes = (ids: number[]) => ids.map((id) => size.get(id)!);
  const arrange = (o: Operand, groups: number[][]) =>
    o.t.permute(groups.flat().map((id) => o.ids.indexOf(id))).reshape(groups.map((g) => prod(sizes(g))));
  const out = arrange(A, [batch, aOnly, inner]).matmul(arrange(B, [batch, inner, bOnly]));
  return { t: out.reshape(sizes([...batch, ...aOnly, ...bOnly])), ids: [...batch, ...aOnly, ...bOnly] };
}

/**
 * Einstein summation (torch.einsum): "ij,jk->ik", implicit outputs ("ij,jk": the subscripts seen
 * once, A–Z then a–z), traces and diagonals ("ii", "ii->i"), "..." for broadcast leading dims;
 * size-1 dims broadcast against a subscript's size.
 */
export function einsum(equation: string, ...operands: Tensor[] | [Tensor[]]): Tensor {
  const xs: Tensor[] = Array.isArray(operands[0]) ? operands[0] : (operands as Tensor[]);
  if (xs.length === 0) throw new ArgumentError(OP, 'got no operands, expected at least one');
  const eq = equation.replace(/\s/g, '');
  const arrow = eq.indexOf('->');
  if (arrow !== eq.lastIndexOf('->')) throw new ArgumentError(OP, `got '${equation}', expected at most one '->'`);
  const lhs = arrow < 0 ? eq : eq.slice(0, arrow);
  let pos = 0;
  const terms = lhs.split(',').map((s, i) => { const t = parseTerm(s, pos, `operand ${i}`); pos += s.length + 1; return t; });
  if (terms.length !== xs.length) {
    throw new ArgumentError(OP, `the equation '${equation}' names ${terms.length} operand(s), but ${xs.length} were given, expected as many operands as terms`);
  }

  // Each operand's dims as ids; '...' covers the dims no letter names, right-aligned across operands.
  const ellDims = terms.map((t, i) => {
    const x = xs[i];
    const extra = x.ndim - t.labels.length;
    if (t.ellipsisAt < 0 ? extra !== 0 : extra < 0) {
      throw new ShapeError(OP, `operand ${i} of shape ${fmtShape(x.shape)} has ${x.ndim} dims but its subscripts name ${t.labels.length}${t.ellipsisAt < 0 ? ' and no ellipsis was given' : ''}, expected one subscript per dim`);
    }
    return t.ellipsisAt < 0 ? 0 : extra;
  });
  const nEll = Math.max(0, ...ellDims);
  const ellIds = Array.from({ length: nEll }, (_, k) => ELL + k);
  let ops: Operand[] = terms.map((t, i) => {
    const ell = ellIds.slice(nEll - ellDims[i]);
    const ids = t.ellipsisAt < 0 ? t.labels : [...t.labels.slice(0, t.ellipsisAt), ...ell, ...t.labels.slice(t.ellipsisAt)];
    return { t: xs[i], ids };
  });

  // The output's ids: explicit, or implicit (ellipsis dims, then the letters seen exactly once, sorted).
  const count = new Map<number, number>();
  terms.forEach((t) => t.labels.forEach((id) => count.set(id, (count.get(id) ?? 0) + 1)));
  let out: number[];
  if (arrow < 0) {
    out = [...ellIds, ...[...count].filter(([, n]) => n === 1).map(([id]) => id).sort((a, b) => a - b)];
  } else {
    const t = parseTerm(eq.slice(arrow + 2), arrow + 2, 'the output');
    t.labels.forEach((id, i) => {
      if (!count.has(id)) throw new ArgumentError(OP, `output subscript ${nameOf(id)} does not appear in the equation for any input operand, expected input subscripts only`);
      if (t.labels.indexOf(id) !== i) throw new ArgumentError(OP, `output subscript ${nameOf(id)} appears more than once in the output, expected each at most once`);
    });
    out = t.ellipsisAt < 0 ? t.labels : [...t.labels.slice(0, t.ellipsisAt), ...ellIds, ...t.labels.slice(t.ellipsisAt)];
  }

  // Repeated ids within an operand ("ii"): take diagonals. Then one size per id (size 1 broadcasts).
  const size = new Map<number, number>();
  ops = ops.map((o, i) => {
    let { t, ids } = o;
    for (let a = 0; a < ids.length; a++) {
      const b = ids.indexOf(ids[a], a + 1);
      if (b < 0) continue;
      if (t.shape[a] !== t.shape[b]) {
        throw new ShapeError(OP, `subscript ${nameOf(ids[a])} is repeated for operand ${i} but its sizes differ (${t.shape[a]} and ${t.shape[b]}), expected equal sizes`);
      }
      t = diagonal(t, a, b);
      ids = [...ids.filter((_, k) => k !== a && k !== b), ids[a]];
      a = -1; // ids moved: rescan
    }
    ids.forEach((id, k) => {
      const s = t.shape[k];
      const seen = size.get(id);
      if (seen !== undefined && seen !== s && seen !== 1 && s !== 1) {
        throw new ShapeError(OP, `subscript ${nameOf(id)} has size ${s} for operand ${i}, which does not broadcast with the size ${seen} seen before, expected equal sizes (or 1)`);
      }
      if (seen === undefined || seen === 1) size.set(id, s);
    });
    return { t, ids };
  });
  ops = ops.map((o) => ({ t: o.t.expand(o.ids.map((id) => size.get(id)!)), ids: o.ids }));

  let acc = ops[0];
  for (let i = 1; i < ops.length; i++) {
    const keep = new Set([...out, ...ops.slice(i + 1).flatMap((o) => o.ids)]);
    acc = contract(acc, ops[i], keep, size);
  }
  acc = sumOut(acc, (id) => out.includes(id));
  return acc.ids.length ? acc.t.permute(out.map((id) => acc.ids.indexOf(id))) : acc.t;
}
