/** The registry entries the page can train with: those that take (logits [N, C], class indices int [N]). */
import type { ArgForm, LossEntry } from '@graft/losses';

/** A symbolic shape that a tensor of exactly these dims satisfies ('...' may match nothing). */
const fits = (form: ArgForm | undefined, dims: readonly string[]): boolean =>
  form !== undefined && form.shape.filter((d) => d !== '...').join() === dims.join();

export function classificationLosses(entries: readonly LossEntry[]): LossEntry[] {
  return entries.filter((e) => {
    const [input, target, ...rest] = e.args;
    const labels = (f: ArgForm | undefined) => f?.dtype === 'int' && f.domain === 'label' && fits(f, ['N']);
    return input?.dtype === 'float' && fits(input, ['N', 'C']) && target !== undefined && (labels(target) || labels(target.or))
      && rest.every((a) => a.optional) && !e.nonDifferentiable && e.kind !== 'metric';
  });
}
