import { arange, linspace, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  h: opt.number(1e-12, 'h: the error bound; a window whose |mean(p − y)| is within h costs nothing.', '(0, inf)'),
  window: opt.integer(200, 'Events in the centred moving window (the code\'s `veclen`): 2⌊window/2⌋ + 1 events.', '[1, inf)'),
  weighting: opt.oneOf(['ace', 'none'], 'ace', 'Average the event errors within equal-width probability bins first (\'ace\'), or over all events (\'none\').'),
  nBins: opt.integer(15, 'Bins of the \'ace\' weighting.', '[1, inf)'),
  leaveOneClassOut: opt.boolean(true, 'Average the objective over the C subsets that leave out the samples of one class (the code\'s `IsIter`).'),
  lossWeight: opt.number(1e5, 'Constant factor on the objective (the code\'s `lossweight`).', '(0, inf)'),
};
export type HCalibrationOptions = OptionsOf<typeof options>;

/**
 * h-calibration: a differentiable, error-bounded recalibration objective. Every (sample, class)
 * event is ranked by its predicted probability; around each event, the mean of (p − 1[y = k]) over
 * its neighbours in that ranking estimates the local miscalibration, and only the part above the
 * bound h is penalised.
 *
 * Events e = (i, k) sorted by pₑ; Tₑ = |Σ_{e' in window(e)} (p_e' − y_e')| / |window| (a centred
 * window of 2⌊w/2⌋+1 events, zero-padded at the ends — the official code's two conv1d sums, since
 * p(1 − y) − (1 − p)y = p − y); costₑ = relu(Tₑ − h). 'ace': average the costs within each of
 * `nBins` equal-width bins of p (bins count events with lo ≤ p ≤ hi), then over bins; 'none': over
 * events. With `leaveOneClassOut` the objective is averaged over the C event sets that drop the
 * samples of class c (all done at once: dropped events are sorted to the end and zeroed, which is
 * exactly the code's zero padding). Window sums are differences of a cumulative sum. The order is a
 * sort (no gradient through it); gradients flow through the gathered probabilities.
 *
 * Reading: The official code (WenjianHuang93/h-Calibration, loss/hCalib.py) with its published
 * configs (veclen 200, IsIter, lossweight 1e5): events sorted by probability, windowed |mean(p − y)|
 * above h, averaged per class-left-out subset. The code's default weighting clusters event
 * probabilities with 1-D k-means (faiss) — a fitting step, not a tensor op — so the default here is
 * its equal-width-bin analogue ('aceweighted' in the code); 'none' is its 'unweighted'. h = 1e-12
 * instead of the configs' 1e-20, which is below float64 rounding of a window mean: a window that is
 * calibrated up to rounding then costs exactly 0 with gradient 0.
 *
 * @param probs recalibrated probabilities [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar
 * @see Huang, Cao, Xia, Chen, Wang & Zhang, "h-calibration: Rethinking Classifier Recalibration with Probabilistic Error-Bounded Objective", IEEE TPAMI 2025
 */
export function hCalibration(...args: Call<[probs: Tensor, target: Tensor], HCalibrationOptions>): Tensor {
  const [probs, target, { h, window, weighting, nBins, leaveOneClassOut, lossWeight }] = entry.check(args);
  const [n, c] = probs.shape;
  const onehot = target.unsqueeze(-1).eq(arange(c, undefined, 1, { backend: probs.backendName })).cast(probs.dtype); // [N, C]
  // dropped[g, e]: event e belongs to a sample of class g (group g leaves class g out); one group keeps all.
  const dropped = leaveOneClassOut
    ? onehot.transpose(0, 1).unsqueeze(-1).expand([c, n, c]).reshape([c, n * c])
    : probs.newZeros([1, n * c]);
  const groups = dropped.shape[0];
  const p = probs.reshape([1, n * c]).expand([groups, n * c]);
  const order = p.detach().add(dropped.mul(2)).argsort(-1); // kept events by p, then the dropped ones
  const ps = p.gather(-1, order);
  const keep = dropped.gather(-1, order).neg().add(1);
  const v = ps.sub(onehot.reshape([1, n * c]).expand([groups, n * c]).gather(-1, order)).mul(keep);
  const half = Math.floor(window / 2);
  const width = 2 * half + 1;
  const cs = v.pad([half + 1, half]).cumsum(-1); // cs[j] = Σ of the padded values before position j
  const windowSum = cs.slice(-1, width, width + n * c).sub(cs.slice(-1, 0, n * c));
  // A window mean within its own rounding of 0 is 0: the floor is u × the magnitudes that round into it (each p
  // carries u·p from its own rounding, and the two cumulative sums u × Σ|v| up to the window's end), so that in
  // float32 a window calibrated up to rounding costs 0, as it does in float64 (where h alone is above the floor).
  const u = probs.dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  const magnitude = ps.mul(keep).add(v.abs()).detach().pad([half + 1, half]).cumsum(-1).slice(-1, width, width + n * c);
  const cost = windowSum.abs().div(width).sub(magnitude.mul(3 * u / width)).sub(h).relu().mul(keep); // [G, L]
  let perGroup: Tensor;
  if (weighting === 'ace') {
    const edges = linspace(0, 1, nBins + 1, { dtype: probs.dtype, backend: probs.backendName });
    const x = ps.unsqueeze(-1);
    const inBin = x.ge(edges.slice(0, 0, nBins)).logicalAnd(x.le(edges.slice(0, 1))).cast(probs.dtype).mul(keep.unsqueeze(-1)); // [G, L, B]
    perGroup = cost.unsqueeze(-1).mul(inBin).sum(1).div(inBin.sum(1).add(1e-5)).mean(-1);
  } else {
    perGroup = cost.sum(-1).div(keep.sum(-1).clamp(1));
  }
  return perGroup.mean().mul(lossWeight);
}

export const entry = defineLoss({
  id: 'h-calibration',
  fn: hCalibration,
  args: [
    { name: 'probs', shape: ['N', 'C'], dtype: 'float', domain: 'simplex' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
  reading: "The official code (WenjianHuang93/h-Calibration, loss/hCalib.py) with its published configs (veclen 200, IsIter, lossweight 1e5): events sorted by probability, windowed |mean(p − y)| above h, averaged per class-left-out subset. The code's default weighting clusters event probabilities with 1-D k-means (faiss) — a fitting step, not a tensor op — so the default here is its equal-width-bin analogue ('aceweighted' in the code); 'none' is its 'unweighted'. h = 1e-12 instead of the configs' 1e-20, which is below float64 rounding of a window mean: a window that is calibrated up to rounding then costs exactly 0 with gradient 0. Likewise in float32, where a window's mean also stays at 0 within its rounding floor (3u × the magnitudes summed into it), so float32 gradients are not rounding noise × lossWeight.",
});
