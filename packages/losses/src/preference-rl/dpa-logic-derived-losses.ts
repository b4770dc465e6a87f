import { ArgumentError, stack, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { log1mexp } from '../parts/preference.js';

const options = {
  trueWorlds: opt.numbers([2, 3], 'The worlds counted for the preference (numerator), coded 2·[M_w] + [M_l]: 0 neither, 1 only y_l, 2 only y_w, 3 both. Default with falseWorlds: the CPO structure.', '[0, 3]'),
  falseWorlds: opt.numbers([1, 3], 'The worlds counted against it (denominator besides the numerator), same codes; a world may be in both sets or in neither.', '[0, 3]'),
  beta: opt.number(0.1, 'β: the scale of the log-ratios log π/π_ref when references are given (the reference-model setting); unused without them.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type DpaLogicDerivedLossesOptions = OptionsOf<typeof options>;

/** Distinct integer world codes of one option, checked. */
function worlds(name: string, codes: readonly number[]): number[] {
  const set = [...new Set(codes)];
  if (set.length === 0 || set.some((c) => !Number.isInteger(c))) {
    throw new ArgumentError('dpaLogicDerivedLoss', `option '${name}': expected a non-empty list of world codes 0..3, got [${codes.join(', ')}]`);
  }
  return set;
}

/**
 * Direct-preference-alignment losses compiled from a preference structure over the two propositions M_w = "the model
 * generates y_w" and M_l = "the model generates y_l" (the logic-of-DPA semantic loss): each of the four worlds
 * ω = (M_w, M_l) is counted for the preference (set A), against it (set B), both or neither, which spans all 4⁴
 * two-proposition losses, and
 *
 *   ℓ = −log σ(log WMC(A) − log WMC(B)) = −log( WMC(A) / (WMC(A) + WMC(B)) ),
 *   WMC(S) = Σ_{ω∈S} Π_i p_i^{ω_i}(1 − p_i)^{1−ω_i}.
 *
 * Single-model setting: p_i = π(y_i) (from the sequence log-probabilities). Reference-model setting (references
 * given): p_i = σ(β·(log π(y_i) − log π_ref(y_i))). Examples: A = {2, 3}, B = {1, 3} (the default) is CPO's −log σ(log
 * π(y_w) − log π(y_l)); A = {2}, B = {1} is ORPO's odds-ratio term, and the same structure in the reference setting
 * is exactly DPO (logit σ(x) = x). Stable form: log p and log(1 − p) as logSigmoid(±x), or the log-probability and
 * log(1 − e^{lp}) by log1mexp, then logsumexp over the worlds and logSigmoid of the difference.
 *
 * @param chosen log π(y_w) [N]
 * @param rejected log π(y_l) [N]
 * @param refChosen optional log π_ref(y_w) [N] (held constant; with refRejected: the reference-model setting)
 * @param refRejected optional log π_ref(y_l) [N] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Richardson, Srikumar & Sabharwal, "Understanding the Logic of Direct Preference Alignment through Logic", ICML 2025, arXiv:2412.17696
 */
export function dpaLogicDerivedLoss(...args: Call<[chosen: Tensor, rejected: Tensor, refChosen?: Tensor, refRejected?: Tensor], DpaLogicDerivedLossesOptions>): Tensor {
  const [chosen, rejected, refChosen, refRejected, { trueWorlds, falseWorlds, beta, reduction }] = entry.check(args);
  if (!refChosen !== !refRejected) throw new ArgumentError('dpaLogicDerivedLoss', 'refChosen and refRejected: expected both (the reference-model setting) or neither');
  const a = worlds('trueWorlds', trueWorlds);
  const b = worlds('falseWorlds', falseWorlds);
  const props = [proposition(chosen, refChosen, beta), proposition(rejected, refRejected, beta)];
  return applyReduction(logWmc(props, a).sub(logWmc(props, b)).logSigmoid().neg(), { reduction });
}

/**
 * One proposition: log p, and 1 − p split as exp(noLog)·noLin. noLog = log(1 − p) wherever it is finite (noLin = 1);
 * at p = 1 exactly (log π = 0, single-model) noLog = 0 and noLin = 1 − p = 0 linearly, whose derivative −p is finite
 * where log(1 − p)'s is not. p = π(y) alone, or σ(β·(log π − sg(log π_ref))) with a reference.
 */
interface Proposition { yes: Tensor; noLog: Tensor; noLin: Tensor | null; certain: Tensor | null }
function proposition(logp: Tensor, ref: Tensor | undefined, beta: number): Proposition {
  if (ref) {
    const x = logp.sub(ref.detach()).mul(beta);
    return { yes: x.logSigmoid(), noLog: x.neg().logSigmoid(), noLin: null, certain: null };
  }
  const certain = logp.detach().ge(0);
  // log1mexp only sees log π < 0: at 0 its derivative is infinite, and 0·∞ would leak NaN through the where.
  const noLog = certain.where(0, log1mexp(certain.where(-1, logp)));
  return { yes: logp, noLog, noLin: certain.where(logp.expm1().neg(), 1), certain };
}

/**
 * log WMC(S) over the worlds `codes` (c = 2·[M_w] + [M_l]) of the two propositions: a logsumexp of the world
 * log-weights Σ log p + Σ log(1 − p), shifted by their largest (held constant), with a certain proposition's 1 − p = 0
 * factor entering linearly (its world weighs 0 but passes its finite derivative).
 */
function logWmc(props: Proposition[], codes: number[]): Tensor {
  const truth = (c: number) => [c >= 2, c % 2 === 1];
  const logPart = (c: number) => truth(c).map((t, i) => (t ? props[i].yes : props[i].noLog)).reduce((x, y) => x.add(y));
  // The shift: the largest true log-weight (a world with a certain proposition false weighs −∞), 0 when all are −∞.
  const trueLog = (c: number) => truth(c).reduce((acc, t, i) => (!t && props[i].certain ? props[i].certain!.where(-Infinity, acc) : acc), logPart(c).detach());
  const top = stack(codes.map(trueLog), -1).amax(-1);
  const shift = top.gt(-Infinity).where(top, 0);
  const term = (c: number) => truth(c).reduce((acc, t, i) => (!t && props[i].noLin ? acc.mul(props[i].noLin!) : acc), logPart(c).sub(shift).exp());
  return codes.map(term).reduce((x, y) => x.add(y)).log().add(shift);
}

export const entry = defineLoss({
  id: 'dpa-logic-derived-losses',
  fn: dpaLogicDerivedLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'refChosen', shape: ['N'], dtype: 'float', domain: 'log-prob', optional: true, stopGradient: true },
    { name: 'refRejected', shape: ['N'], dtype: 'float', domain: 'log-prob', optional: true, stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The framework\'s compiler for two-proposition preference structures: the loss −log σ(log WMC(A) − log WMC(B)) with the world sets A, B as options (any of the 256), model probabilities π(y) in the single-model setting and σ(β log π/π_ref) in the reference setting; the paper\'s named derived losses (e.g. cCPO) are instances chosen by their world sets, which this entry could not take from the paper body. Defaults give the CPO structure; the construction reproduces CPO, ORPO\'s odds term and DPO exactly (checked in the fixtures).',
});
