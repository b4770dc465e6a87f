import { type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  metric: opt.oneOf(['dice', 'iou'] as const, 'dice', "The per-image score scaled: 'dice' (ES-Dice) or 'iou' (ES-IoU)."),
};
export type EquityScaledDiceOptions = OptionsOf<typeof options>;

/**
 * Equity-scaled Dice (ES-Dice): the overall Dice shrunk by its spread across identity groups.
 *
 * Per image i: D_i = 2Σp·t/(Σp + Σt) (IoU: Σp·t/(Σp + Σt − Σp·t)), 1 when both are empty; D = mean_i D_i,
 * D_g = mean of D_i over the images of group g (groups without images are skipped); ES = D/(1 + Σ_g |D − D_g|).
 * Pass binarised masks for the paper's metric (probabilities give the soft version). The group count is read
 * from the host (one scalar).
 *
 * @param input predicted masks [N, ...] (binary, or probabilities)
 * @param target ground-truth masks [N, ...] (binary)
 * @param groups identity group of each image [N] (int32, ≥ 0)
 * @returns a scalar
 * @see Tian et al., "FairSeg: A Large-Scale Medical Image Segmentation Dataset for Fairness Learning Using Segment Anything Model with Fair Error-Bound Scaling", ICLR 2024
 */
export function equityScaledDice(...args: Call<[input: Tensor, target: Tensor, groups: Tensor], EquityScaledDiceOptions>): Tensor {
  const [input, target, groups, { metric }] = entry.check(args);
  const n = input.shape[0];
  const p = input.reshape([n, -1]);
  const t = target.cast(input.dtype).reshape([n, -1]);
  const inter = p.mul(t).sum(1);
  const total = p.sum(1).add(t.sum(1));
  const den = metric === 'dice' ? total : total.sub(inter);
  const empty = den.le(0);
  const d = empty.where(1, (metric === 'dice' ? inter.mul(2) : inter).div(empty.where(1, den)));
  const overall = d.mean();
  const g = groups.max().item() + 1;
  const member = groups.unsqueeze(1).eq(tensor(Array.from({ length: g }, (_, k) => k), { dtype: 'int32', backend: input.backendName }).unsqueeze(0)).cast(input.dtype);
  const count = member.sum(0);
  const dg = d.unsqueeze(1).mul(member).sum(0).div(count.clamp(1));
  const spread = overall.sub(dg).abs().mul(count.gt(0).cast(input.dtype)).sum();
  return overall.div(spread.add(1));
}

export const entry = defineLoss({
  id: 'equity-scaled-dice',
  fn: equityScaledDice,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'binary' },
    { name: 'groups', shape: ['N'], dtype: 'int', domain: 'nonneg' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'An evaluation metric (binarised masks); the soft version has kinks at |D − D_g| = 0 and is not meant for training.',
});
