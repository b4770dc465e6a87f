/**
 * Where one of graft's benchmark workloads spends its time, by backend primitive: every method of
 * the cpu backend is wrapped with a timer, the workload runs N times inside tidy (as the benchmark
 * runs it), and each primitive's ms per step is printed with the step time and what is left outside
 * the backend (autograd, dispatch, checks). Use `node --cpu-prof` for the inside of a primitive.
 *
 *   pnpm --filter benchmark exec tsx --conditions=graft-source op-times.ts mlp|ce|chain|matmul [N]
 */
import { getBackend, tidy } from '@graft/core';
import { useBackend } from 'examples/common';
await useBackend('cpu');
type Methods = Record<string, unknown>;
type Shaped = { shape?: number[] } | undefined;
const b = getBackend('cpu') as unknown as Methods;
const acc = new Map<string, [number, number]>();
/** Replaces each method of obj with a timed call, keyed by method, op name and the shape of its main operand. */
function wrap(obj: Methods, prefix: string): void {
  for (const k of Object.keys(obj)) {
    const f = obj[k];
    if (typeof f !== 'function') continue;
    obj[k] = (...a: unknown[]) => {
      const t0 = performance.now();
      const r = f.apply(obj, a);
      const view = ((a[1] as Shaped)?.shape ? a[1] : a[0]) as Shaped;
      const key = `${prefix}${k}${typeof a[0] === 'string' ? `:${a[0]}` : ''} ${view?.shape?.join('x') ?? ''}`;
      const e = acc.get(key) ?? [0, 0];
      e[0] += performance.now() - t0;
      e[1]++;
      acc.set(key, e);
      return r;
    };
  }
}
wrap(b, '');
if (b.fused) wrap(b.fused as Methods, 'fused.');
const { graft } = await import('./peers.js');
const w = await graft.load();
const which = (process.argv[2] ?? 'mlp') as 'mlp' | 'ce' | 'chain' | 'matmul';
const step = () => tidy(w[which] as () => void);
const n = Number(process.argv[3] ?? 100);
for (let i = 0; i < 10; i++) step();
acc.clear();
const t0 = performance.now();
for (let i = 0; i < n; i++) step();
const total = (performance.now() - t0) / n;
let inK = 0;
const rows = [...acc].sort((a, b) => b[1][0] - a[1][0]);
for (const [k, [t, c]] of rows) { inK += t; if (t / n > 0.005) console.log((t / n).toFixed(3).padStart(7), 'ms', String(c / n).padStart(4), 'x ', k); }
console.log('step', total.toFixed(2), 'ms; in backend', (inK / n).toFixed(2), 'ms; outside', (total - inK / n).toFixed(2));
