/**
 * Host-side Betti matching of two 2-D images (Stucki et al., ICML 2023), on plain numbers: the cubical T-construction
 * (pixels are the 2-cells) of each image's super-level filtration, its 0- and 1-dimensional barcodes by union-find
 * (dimension 1 through the dual graph, Alexander duality), the image barcodes of the inclusions into the comparison
 * image max(P, G), and the induced matchings through it. Every bar is returned as the pixels whose values are its
 * birth and death, so the loss gathers them from the differentiable prediction. Written from the paper and the theory
 * of induced matchings (Bauer & Lesnick 2015; image persistence by union-find as in Bauer & Schmahl 2022); the
 * conventions (tie-breaks, zero-length bars dropped, image bars kept) follow nstucki/Betti-matching BettiMatching.py.
 */

/** A bar: the pixels (flat index in the image) giving its birth and death values; death −1 = the essential bar (never dies). */
export interface Bar { birth: number; death: number }

export interface BettiMatchingResult {
  /** Matched (prediction bar, target bar) pairs per dimension. */
  matched: [Bar, Bar][][];
  unmatchedPrediction: Bar[][];
  unmatchedTarget: Bar[][];
}

/** The total order of the cells of the T-construction of an h×w image under the super-level filtration of `values`. */
interface Filtration {
  /** order index of the cell at each grid position ((2h + 1) × (2w + 1) grid, row-major). */
  index: Int32Array;
  /** grid position of the cell with each order index. */
  cell: Int32Array;
  /** pixel whose value the cell takes, by order index. */
  pixel: Int32Array;
}

/**
 * Pixels in decreasing value (ties row-major); each pixel, in that order, brings its not yet present faces: within a
 * run of equal values, first every new vertex, then every new edge, then the pixels' 2-cells. A face thereby takes the
 * largest value among its pixels (the super-level T-construction: 8-connected foreground, 4-connected holes).
 */
function filtration(values: ArrayLike<number>, h: number, w: number): Filtration {
  const cols = 2 * w + 1;
  const size = (2 * h + 1) * cols;
  const index = new Int32Array(size).fill(-1);
  const cell = new Int32Array(size);
  const pixel = new Int32Array(size);
  const order = Array.from({ length: h * w }, (_, p) => p).sort((a, b) => values[b] - values[a] || a - b);
  let next = 0;
  const add = (p: number, r: number, c: number) => {
    const g = r * cols + c;
    if (index[g] >= 0) return;
    index[g] = next;
    cell[next] = g;
    pixel[next++] = p;
  };
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const run = order.slice(start, end);
    const centre = (p: number): [number, number] => [2 * Math.floor(p / w) + 1, 2 * (p % w) + 1];
    for (const p of run) { const [r, c] = centre(p); for (const k of [-1, 1]) for (const l of [-1, 1]) add(p, r + k, c + l); }
    for (const p of run) { const [r, c] = centre(p); for (const k of [-1, 1]) { add(p, r + k, c); add(p, r, c + k); } }
    for (const p of run) add(p, ...centre(p));
    start = end;
  }
  return { index, cell, pixel };
}

/** Union-find over n nodes whose component keeps the min (or max) of its members' keys. */
function unionFind(keys: Float64Array, keep: 'min' | 'max') {
  const parent = Int32Array.from({ length: keys.length }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
  };
  const union = (x: number, y: number) => {
    parent[y] = x;
    keys[x] = keep === 'min' ? Math.min(keys[x], keys[y]) : Math.max(keys[x], keys[y]);
  };
  return { find, union, key: (x: number) => keys[x] };
}

/** A bar in order indices: birth and death cells (death Infinity = essential), each of its own filtration. */
type IndexBar = [number, number];

/**
 * Pairs of dimension 0 and 1. Dimension 0: edges of `edges` (order indices of filtration `of`, increasing) merge
 * components whose birth is the least `births` index among their vertices; the younger dies. Dimension 1: positive edges
 * of `positive` (decreasing) merge dual components of 2-cells (and the outside), each keyed by the largest index of
 * `deaths`; the smaller key dies with the edge. Single-image persistence passes one filtration for all three roles;
 * image persistence passes the prediction's for births and positive edges and the comparison's for edges and deaths.
 */
function pairs(births: Filtration, deaths: Filtration, h: number, w: number, positive: readonly number[] | null) {
  const cols = 2 * w + 1;
  const rows = 2 * h + 1;
  const size = rows * cols;
  const vertexKeys = new Float64Array(size).fill(Infinity);
  for (let g = 0; g < size; g++) if ((g / cols | 0) % 2 === 0 && (g % cols) % 2 === 0) vertexKeys[g] = births.index[g];
  const uf = unionFind(vertexKeys, 'min');
  const dim0: IndexBar[] = [[0, Infinity]];
  const critical: number[] = [];
  for (let i = 0; i < size; i++) {
    const g = deaths.cell[i];
    const [r, c] = [g / cols | 0, g % cols];
    if ((r + c) % 2 === 0) continue; // vertices and 2-cells
    const [a, b] = r % 2 === 1 ? [g - cols, g + cols] : [g - 1, g + 1];
    const [x, y] = [uf.find(a), uf.find(b)];
    if (x === y) { critical.push(i); continue; }
    const [older, younger] = uf.key(x) < uf.key(y) ? [x, y] : [y, x];
    dim0.push([uf.key(younger), i]);
    uf.union(older, younger);
  }
  // Dual graph: node g for each 2-cell, node `size` for the outside (never dies).
  const dualKeys = new Float64Array(size + 1).fill(-Infinity);
  for (let g = 0; g < size; g++) if ((g / cols | 0) % 2 === 1 && (g % cols) % 2 === 1) dualKeys[g] = deaths.index[g];
  dualKeys[size] = Infinity;
  const dual = unionFind(dualKeys, 'max');
  const dim1: IndexBar[] = [];
  // One image (births = deaths): its own positive edges, latest first.
  const edges = positive ?? critical.slice().reverse();
  for (const e of edges) {
    const g = births.cell[e];
    const [r, c] = [g / cols | 0, g % cols];
    const side = (u: number, v: number, lo: boolean, hi: boolean) => [lo ? size : u, hi ? size : v];
    const [a, b] = r % 2 === 0 ? side(g - cols, g + cols, r === 0, r === rows - 1) : side(g - 1, g + 1, c === 0, c === cols - 1);
    const [x, y] = [dual.find(a), dual.find(b)];
    if (x === y) continue;
    const [older, younger] = dual.key(x) > dual.key(y) ? [x, y] : [y, x];
    dim1.push([e, dual.key(younger)]);
    dual.union(older, younger);
  }
  return { bars: [dim0, dim1], positiveEdges: edges };
}

/** The barcode of one image: its bars of positive length, and its positive edges in decreasing order. */
function barcode(f: Filtration, values: ArrayLike<number>, h: number, w: number) {
  const { bars, positiveEdges } = pairs(f, f, h, w, null);
  const value = (i: number) => values[f.pixel[i]];
  return { bars: bars.map((d) => d.filter(([b, e]) => e === Infinity || value(b) !== value(e))), positiveEdges };
}

/** Matches the bars of X to those of the comparison image through the image bars of X → comparison. */
function inducedMatching(x: IndexBar[][], image: IndexBar[][], comparison: IndexBar[][]): Map<number, number>[] {
  return image.map((bars, d) => {
    const byBirth = new Map(x[d].map((bar, k) => [bar[0], k]));
    const byDeath = new Map(comparison[d].map((bar, k) => [bar[1], k]));
    const match = new Map<number, number>();
    for (const [b, e] of bars) {
      const [i, j] = [byBirth.get(b), byDeath.get(e)];
      if (i !== undefined && j !== undefined) match.set(j, i);
    }
    return match;
  });
}

/**
 * The Betti matching of prediction P and target G (h×w, row-major) in dimensions 0 and 1, through the comparison image
 * max(P, G) (the union of their super-level sets).
 */
export function bettiMatching(p: ArrayLike<number>, g: ArrayLike<number>, h: number, w: number): BettiMatchingResult {
  const c = Array.from(p, (v, i) => Math.max(v, g[i]));
  const [fp, fg, fc] = [filtration(p, h, w), filtration(g, h, w), filtration(c, h, w)];
  const [bp, bg, bc] = [barcode(fp, p, h, w), barcode(fg, g, h, w), barcode(fc, c, h, w)];
  const viaComparison = (f: Filtration, own: ReturnType<typeof barcode>) =>
    inducedMatching(own.bars, pairs(f, fc, h, w, own.positiveEdges).bars, bc.bars);
  const [mp, mg] = [viaComparison(fp, bp), viaComparison(fg, bg)];
  const toBar = (f: Filtration, [b, e]: IndexBar): Bar => ({ birth: f.pixel[b], death: e === Infinity ? -1 : f.pixel[e] });
  const result: BettiMatchingResult = { matched: [[], []], unmatchedPrediction: [[], []], unmatchedTarget: [[], []] };
  for (const d of [0, 1]) {
    const usedP = new Set<number>();
    const usedG = new Set<number>();
    for (const [j, i] of mp[d]) {
      const k = mg[d].get(j);
      if (k === undefined) continue;
      result.matched[d].push([toBar(fp, bp.bars[d][i]), toBar(fg, bg.bars[d][k])]);
      usedP.add(i);
      usedG.add(k);
    }
    result.unmatchedPrediction[d] = bp.bars[d].filter((_, i) => !usedP.has(i)).map((bar) => toBar(fp, bar));
    result.unmatchedTarget[d] = bg.bars[d].filter((_, k) => !usedG.has(k)).map((bar) => toBar(fg, bar));
  }
  return result;
}
