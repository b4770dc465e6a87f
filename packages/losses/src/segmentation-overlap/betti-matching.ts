import { ArgumentError, type DType, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { bettiMatching } from '../parts/betti-persistence.js';

const options = {
  dimensions: opt.numbers([0, 1], 'The homology dimensions whose bars enter the loss (0: components, 1: holes).', '[0, 1]'),
  includeUnmatchedTarget: opt.boolean(false, 'Add (b − d)² of the target bars left unmatched (constant in the prediction: the code adds it for validation, not for training).'),
  reduction: opt.reduction(),
};
export type BettiMatchingOptions = OptionsOf<typeof options>;

/** One side of a loss term: the prediction at a flat pixel index, or a constant. */
type Operand = { pixel: number } | { value: number };

/**
 * Betti matching loss: topological faithfulness of a predicted likelihood map through the induced matching of the
 * persistence barcodes of prediction and ground truth.
 *
 * Barcodes of the super-level filtrations of P and G (cubical T-construction: pixels are 2-cells, 8-connected
 * foreground, 4-connected holes; dimensions 0 and 1) are matched through the comparison image max(P, G): a bar of P
 * and a bar of G correspond when the induced matchings of the inclusions P → max(P, G) ← G send them to the same bar.
 * Per image: L = Σ_matched 2·[(b_P − b_G)² + (d_P − d_G)²] + Σ_unmatched P (b_P − d_P)², with the essential
 * component's death taken as 0. Births and deaths are gathered from P at the pixels that create and kill each feature
 * (the matching itself, union-find on the host, is piecewise constant), so gradients flow to those pixels only.
 * The usual total is L_Dice + α·L_BM (α = 1 in the catalog), composed by the caller.
 *
 * @param input predicted likelihoods P [N, H, W] in [0, 1] (apply the sigmoid first)
 * @param target binary ground-truth masks G [N, H, W]
 * @returns the mean over images; [N] with reduction 'none'
 * @see Stucki et al., "Topologically faithful image segmentation via induced matching of persistence barcodes", ICML 2023
 */
export function bettiMatchingLoss(...args: Call<[input: Tensor, target: Tensor], BettiMatchingOptions>): Tensor {
  const [input, target, { dimensions, includeUnmatchedTarget, reduction }] = entry.check(args);
  const bad = dimensions.find((d) => d !== 0 && d !== 1);
  if (bad !== undefined) throw new ArgumentError('bettiMatchingLoss', `option 'dimensions': expected a list of 0 and 1, got ${bad}`);
  const [n, h, w] = input.shape;
  const p = input.detach().data();
  const g = target.cast(input.dtype).data();
  // Each term is weight·(x − y)², x and y each the prediction at a pixel or a constant (a target value, the essential death 0).
  const terms: { sample: number; weight: number; x: Operand; y: Operand }[] = [];
  for (let k = 0; k < n; k++) {
    const off = k * h * w;
    const gv = g.subarray(off, off + h * w);
    const fromP = (i: number): Operand => (i < 0 ? { value: 0 } : { pixel: off + i });
    const fromG = (i: number): Operand => ({ value: i < 0 ? 0 : gv[i] });
    const add = (weight: number, x: Operand, y: Operand) => terms.push({ sample: k, weight, x, y });
    const m = bettiMatching(p.subarray(off, off + h * w), gv, h, w);
    add(0, { value: 0 }, { value: 0 }); // every image has a term, so no tensor below is empty
    for (const d of dimensions) {
      for (const [bp, bg] of m.matched[d]) {
        add(2, fromP(bp.birth), fromG(bg.birth));
        add(2, fromP(bp.death), fromG(bg.death));
      }
      for (const bar of m.unmatchedPrediction[d]) add(1, fromP(bar.birth), fromP(bar.death));
      if (includeUnmatchedTarget) for (const bar of m.unmatchedTarget[d]) add(1, fromG(bar.birth), fromG(bar.death));
    }
  }
  const host = (values: number[], dtype: DType = input.dtype) => tensor(values, { dtype, backend: input.backendName });
  const flat = input.reshape([input.size]);
  const side = (ops: Operand[]) => flat.indexSelect(0, host(ops.map((o) => ('pixel' in o ? o.pixel : 0)), 'int32'))
    .mul(host(ops.map((o) => ('pixel' in o ? 1 : 0)))).add(host(ops.map((o) => ('pixel' in o ? 0 : o.value))));
  const values = side(terms.map((t) => t.x)).sub(side(terms.map((t) => t.y))).square().mul(host(terms.map((t) => t.weight)));
  const members = host(Array.from({ length: n }, (_, k) => terms.map((t) => (t.sample === k ? 1 : 0))).flat()).reshape([n, terms.length]);
  return applyReduction(members.matmul(values), { reduction });
}

export const entry = defineLoss({
  id: 'betti-matching',
  fn: bettiMatchingLoss,
  args: [
    { name: 'input', shape: ['N', 'H', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'H', 'W'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'per-sample',
  reading: "The authors' 2-D Betti matching (nstucki/Betti-matching, with Betti-Matching-3D's T-construction and loss): super-level cubical T-construction, comparison image max(P, G), bars of zero length dropped, matched pairs 2·‖q_P − q_G‖², unmatched prediction bars (b − d)², the essential component's death read as 0; the union-find persistence and the induced matching run on the host per image.",
});
