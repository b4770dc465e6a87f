// Every distillation entry holds its teacher side constant: an argument marked stopGradient, given
// requiresGrad, gets no gradient (none, or zeros) while the student's inputs do.
import { describe, expect, test } from 'vitest';
import { grad, isFloat, type Tensor } from '@graft/core';
import '../bench-helpers.js';
import { callEntry } from '../bench-helpers.js';
import { registry, sampleArgs } from '../../src/index.js';

const entries = registry.list().filter((e) => e.category === 'distillation');

describe('distillation: no gradient reaches the teacher', () => {
  test('the category has entries', () => expect(entries.length).toBeGreaterThan(0));

  // meal-v2-discriminator's inputs are discriminator logits, both trained through the loss: it has no teacher argument.
  test.each(entries.filter((e) => e.args.some((a) => a.stopGradient)).map((e) => [e.id, e] as const))('%s', (_id, entry) => {
    // Optional teacher-side arguments are drawn too (sampleArgs leaves optional ones out).
    const xs = sampleArgs(entry.args.map((a) => ({ ...a, optional: false })), { seed: 11 }).map((x, i) => (entry.args[i].optional && !entry.args[i].stopGradient ? undefined : x));
    const leaves = xs.map((x) => (x && isFloat(x.dtype) ? x.requiresGrad_() : undefined));
    const out = callEntry(entry, xs);
    const used = leaves.filter((x): x is Tensor => !!x);
    const grads = grad(out.sum(), used, { allowUnused: true });
    let k = 0;
    let studentGrad = false;
    leaves.forEach((x, i) => {
      if (!x) return;
      const g = grads[k++];
      const zero = !g || Array.from(g.data()).every((v) => v === 0);
      if (entry.args[i].stopGradient) expect(zero, `${entry.id}: gradient reached '${entry.args[i].name}'`).toBe(true);
      else if (!zero) studentGrad = true;
    });
    expect(studentGrad, `${entry.id}: some student input gets a gradient`).toBe(true);
  });
});
