// Every preference/RL entry holds its frozen side constant: an argument marked stopGradient (a reference
// model's log-probs, old-policy log-probs, rewards, variances), given requiresGrad, gets no gradient (none,
// or zeros) while the policy's inputs do. Plus DPO's behaviour: −log σ(β·margin), and its gradient raises
// the chosen log-probability and lowers the rejected one.
import { describe, expect, test } from 'vitest';
import { grad, isFloat, type Tensor, tensor } from '@graft/core';
import '../bench-helpers.js';
import { callEntry } from '../bench-helpers.js';
import { dpoLoss, registry, sampleArgs } from '../../src/index.js';

const entries = registry.list().filter((e) => e.category === 'preference/RL');

describe('preference/RL: no gradient reaches the reference', () => {
  test('the category has entries with frozen arguments', () => expect(entries.filter((e) => e.args.some((a) => a.stopGradient)).length).toBeGreaterThan(5));

  test.each(entries.filter((e) => e.args.some((a) => a.stopGradient)).map((e) => [e.id, e] as const))('%s', (_id, entry) => {
    // Optional frozen arguments are drawn too (sampleArgs leaves optional ones out).
    const xs = sampleArgs(entry.args.map((a) => ({ ...a, optional: false })), { seed: 11 }).map((x, i) => (entry.args[i].optional && !entry.args[i].stopGradient ? undefined : x));
    const leaves = xs.map((x) => (x && isFloat(x.dtype) ? x.requiresGrad_() : undefined));
    const out = callEntry(entry, xs);
    const grads = grad(out.sum(), leaves.filter((x): x is Tensor => !!x), { allowUnused: true });
    let k = 0;
    let policyGrad = false;
    leaves.forEach((x, i) => {
      if (!x) return;
      const g = grads[k++];
      const zero = !g || Array.from(g.data()).every((v) => v === 0);
      if (entry.args[i].stopGradient) expect(zero, `${entry.id}: gradient reached '${entry.args[i].name}'`).toBe(true);
      else if (!zero) policyGrad = true;
    });
    expect(policyGrad, `${entry.id}: some policy input gets a gradient`).toBe(true);
  });
});

describe('dpo behaviour', () => {
  test('equals −log σ(β·margin), and its gradient pushes the chosen log-prob up and the rejected one down', () => {
    const f = (v: number[]) => tensor(v, { dtype: 'float64' });
    const chosen = f([-12, -30]).requiresGrad_();
    const rejected = f([-15, -20]).requiresGrad_();
    const refC = f([-13, -25]);
    const refR = f([-14, -22]);
    const beta = 0.1;
    const out = dpoLoss(chosen, rejected, refC, refR, { beta, reduction: 'none' });
    const margins = [(-12 + 13) - (-15 + 14), (-30 + 25) - (-20 + 22)];
    margins.forEach((h, i) => expect(out.data()[i]).toBeCloseTo(Math.log1p(Math.exp(-beta * h)), 12));
    const [gc, gr] = grad(out.sum(), [chosen, rejected]);
    // d/dπ_w of −log σ(βh) = −β·σ(−βh) < 0: a descent step raises log π(y_w); the rejected side mirrors it.
    margins.forEach((h, i) => {
      const s = beta / (1 + Math.exp(beta * h));
      expect(gc!.data()[i]).toBeCloseTo(-s, 12);
      expect(gr!.data()[i]).toBeCloseTo(s, 12);
    });
  });
});
