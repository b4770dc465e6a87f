import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  potential: opt.func<((v: Tensor) => Tensor) | null>('The convex potential ψ: scores [N, C] → [N]; its gradient is the (inverse) link to probabilities. Default: logsumexp.'),
  reduction: opt.reduction(),
};
export type LegendreTronOptions = OptionsOf<typeof options>;

/**
 * LegendreTron's canonical proper loss for a (learned) convex potential: ℓᵢ = ψ(vᵢ) − v_{i,yᵢ}.
 *
 * The Fenchel–Young / Bregman form of a proper loss with canonical link: its gradient in v is ∇ψ(v) − e_y,
 * with p = ∇ψ(v) the predicted class probabilities. With the default ψ = logsumexp (max-shifted) it is
 * softmax cross-entropy (multinomial logistic regression).
 *
 * Reading: The loss given the potential ψ as a function option (the paper's learned part, a composition of
 * monotone/input-convex blocks whose depth and width are the caller's, trained jointly through this loss);
 * default ψ = logsumexp (softmax cross-entropy). Scores [N, C]; the paper's C − 1 coordinates with class C as
 * reference are v.pad([0, 1]).
 *
 * @param input scores v [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Lam, Walder, Penev & Nock, "LegendreTron: Uprising Proper Multiclass Loss Learning", ICML 2023
 */
export function legendreTronLoss(...args: Call<[input: Tensor, target: Tensor], LegendreTronOptions>): Tensor {
  const [input, target, { potential, reduction }] = entry.check(args);
  const psi = potential ? potential(input) : input.logsumexp(-1);
  const vy = input.gather(-1, target.unsqueeze(-1)).squeeze(-1);
  return applyReduction(psi.sub(vy), { reduction });
}

export const entry = defineLoss({
  id: 'legendretron',
  fn: legendreTronLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading:
    "The loss given the potential ψ as a function option (the paper's learned part, a composition of monotone/input-convex " +
    "blocks whose depth and width are the caller's, trained jointly through this loss); default ψ = logsumexp (softmax " +
    "cross-entropy). Scores [N, C]; the paper's C − 1 coordinates with class C as reference are v.pad([0, 1]).",
});
