/**
 * Benchmarks of a graft backend on the four workloads of issue 15 (peers.ts), float32: matmul
 * 1024², an MLP training step, softmax cross-entropy and an elementwise chain. Protocol, the same
 * for every framework: warm-up calls, then repeated calls until `minSamples` and `minTime` are
 * both reached; the figure is the median (this machine is shared: means would carry its noise).
 *
 *   pnpm bench [--quick] [--backend cpu|gpu] [--no-wasm] [--no-pool] [--threads N]
 *   pnpm bench --peers [--mem-steps 2000]   graft next to tfjs (cpu, wasm) and jax-js (jit, eager),
 *                                           graft's speed-up over each, and peak RSS over N MLP steps
 *                                           (each framework in a child process of its own)
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getBackend, tidy } from '@graft/core';
import { setBufferPool, setNumThreads, setWasm, wasmInfo } from '@graft/backend-cpu';
import { useBackend } from 'examples/common';
import { type Framework, graft, peers, sizes, type Workloads } from './peers.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'), // pnpm may pass a bare '--' through
  options: {
    backend: { type: 'string', default: 'cpu' },
    quick: { type: 'boolean', default: false },
    peers: { type: 'boolean', default: false },
    'no-wasm': { type: 'boolean', default: false },
    'no-pool': { type: 'boolean', default: false },
    threads: { type: 'string' },
    'mem-steps': { type: 'string', default: '2000' },
    'mem-child': { type: 'string' }, // internal: run N MLP steps of one framework, print peak RSS
  },
});
await useBackend(args.backend);
if (args['no-wasm']) setWasm(false);
if (args['no-pool']) setBufferPool(false);
if (args.threads) setNumThreads(Number(args.threads));
const memSteps = Number(args['mem-steps']);
const frameworks: Framework[] = [graft, ...(args.peers ? peers : [])];

// ---- child mode: peak RSS of one framework over N MLP steps --------------------------------------
if (args['mem-child']) {
  const fw = frameworks.find((f) => f.name === args['mem-child']) ?? peers.find((f) => f.name === args['mem-child'])!;
  const w = await fw.load();
  for (let i = 0; i < memSteps; i++) await (fw === graft ? tidy(w.mlp) : w.mlp());
  console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

// ---- protocol ---------------------------------------------------------------------------------
const protocol = args.quick ? { warmup: 1, minSamples: 3, minTime: 0.3 } : { warmup: 3, minSamples: 10, minTime: 2 };

async function median(fn: () => unknown): Promise<{ ms: number; samples: number; spread: [number, number] }> {
  for (let i = 0; i < protocol.warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < protocol.minSamples || performance.now() - start < protocol.minTime * 1000) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { ms: q(0.5), samples: times.length, spread: [q(0.1), q(0.9)] };
}

const [n, w, b] = [sizes.matmul, sizes.widths, sizes.batch];
const macs = w.slice(1).map((out, i) => w[i] * out);
const sum = (v: number[]) => v.reduce((s, m) => s + m, 0);
const workloads: { key: keyof Workloads; name: string; flops: number }[] = [
  { key: 'matmul', name: `matmul ${n}×${n}`, flops: 2 * n ** 3 },
  // forward 2·B·Σ in·out, the same again for the weight gradients, plus the input gradients of every layer but the first
  { key: 'mlp', name: `MLP ${w.join('-')} fwd+bwd, batch ${b}`, flops: 2 * b * (2 * sum(macs) + sum(macs.slice(1))) },
  // 9 FLOP per logit: forward max, subtract, exp, sum, subtract; backward exp, sum, multiply, subtract
  { key: 'ce', name: `softmax CE ${sizes.ce.join('×')} fwd+bwd`, flops: 9 * sizes.ce[0] * sizes.ce[1] },
  { key: 'chain', name: `x·2+1 → tanh → ·x, 4M`, flops: 4 * sizes.chain },
];

// ---- header -----------------------------------------------------------------------------------
const cpus = os.cpus();
const wi = wasmInfo();
const gl = getBackend() as { mode?: string; renderer?: string; software?: boolean };
console.log(`${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`graft backend ${args.backend}${args.backend === 'cpu' ? `: WebAssembly ${wi.enabled ? `SIMD on${wi.relaxedSimd ? ' (relaxed-SIMD FMA)' : ''}, ${wi.threads} thread(s)` : 'off (TypeScript kernels)'}, buffer pool ${args['no-pool'] ? 'off' : 'on'}` : ''}`);
if (gl.renderer) console.log(`gpu.js mode ${gl.mode}, GL renderer: ${gl.renderer}${gl.software ? ' — a software rasteriser: NOT GPU figures' : ''}`);
console.log(`protocol: ${protocol.warmup} warm-up calls, then median of ≥ ${protocol.minSamples} calls and ≥ ${protocol.minTime} s per cell${args.quick ? ' (quick)' : ''}\n`);

// ---- run ----------------------------------------------------------------------------------------
// One framework at a time, all four workloads: tfjs's cpu and wasm share one global "current
// backend" (and jax-js a default device), which must be the framework's own while it is timed.
type Result = { ms: number; samples: number; spread: [number, number] } | string;
const results = new Map<string, Map<string, Result>>(workloads.map((wl) => [wl.key, new Map()]));
const loaded: { fw: Framework; error?: string }[] = [];
for (const fw of frameworks) {
  let impl: Workloads | null = null;
  try { impl = await fw.load(); loaded.push({ fw }); } catch (e) { loaded.push({ fw, error: String(e).split('\n')[0] }); }
  for (const wl of workloads) {
    const row = results.get(wl.key)!;
    if (!impl) { row.set(fw.name, 'unavailable'); continue; }
    try {
      row.set(fw.name, await median(fw === graft ? () => tidy(impl[wl.key] as () => void) : impl[wl.key]));
    } catch (e) { row.set(fw.name, `error: ${String(e).split('\n')[0]}`); }
    const r = row.get(fw.name)!;
    if (typeof r === 'object') console.log(`${fw.name.padEnd(13)} ${wl.name.padEnd(40)} ${r.ms.toFixed(2)} ms (p10–p90 ${r.spread.map((t) => t.toFixed(1)).join('–')}, ${r.samples} calls, ${(wl.flops / r.ms / 1e6).toFixed(1)} GFLOP/s)`);
  }
}

if (args.peers) {
  // peak RSS over memSteps MLP steps, one child process per framework (RSS is per process)
  const mem = new Map<string, string>();
  const self = fileURLToPath(import.meta.url);
  for (const { fw, error } of loaded) {
    if (error) { mem.set(fw.name, '–'); continue; }
    try {
      const extra = [...(args['no-wasm'] ? ['--no-wasm'] : []), ...(args['no-pool'] ? ['--no-pool'] : []), ...(args.threads ? ['--threads', args.threads] : [])];
      const out = execFileSync(process.execPath, [...process.execArgv, self, '--mem-child', fw.name, '--mem-steps', String(memSteps), ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      mem.set(fw.name, `${Math.round(JSON.parse(out.trim().split('\n').pop()!).maxRssMiB)} MiB`);
    } catch (e) { mem.set(fw.name, `error`); }
  }

  // the table: one column per framework (median ms), then graft's speed-up over each peer
  const names = loaded.map((l) => l.fw.name);
  const cell = (v: unknown) => (typeof v === 'object' && v ? (v as { ms: number }).ms.toFixed(1) : 'n/a');
  console.log(`\n| workload, median ms | ${names.join(' | ')} | ${names.slice(1).map((p) => `graft vs ${p}`).join(' | ')} |`);
  console.log(`|---|${names.map(() => '---:').join('|')}|${names.slice(1).map(() => '---:').join('|')}|`);
  for (const wl of workloads) {
    const row = results.get(wl.key)!;
    const g = row.get('graft') as { ms: number } | string;
    const ratios = names.slice(1).map((p) => {
      const r = row.get(p);
      return typeof g === 'object' && typeof r === 'object' ? `${(r.ms / g.ms).toFixed(1)}×` : 'n/a';
    });
    const extra = wl.key === 'matmul' && typeof g === 'object' ? ` (${(wl.flops / g.ms / 1e6).toFixed(0)} GFLOP/s)` : '';
    console.log(`| ${wl.name} | ${cell(g)}${extra} | ${names.slice(1).map((p) => cell(row.get(p))).join(' | ')} | ${ratios.join(' | ')} |`);
  }
  console.log(`| peak RSS, ${memSteps} MLP steps | ${names.map((p) => mem.get(p)).join(' | ')} | ${names.slice(1).map(() => '').join(' | ')} |`);
  console.log('\n(speed-up = peer ms / graft ms: above 1× graft is faster)');
  for (const { fw, error } of loaded) if (error) console.log(`${fw.name}: ${error}`);
  for (const wl of workloads) for (const [name, r] of results.get(wl.key)!) if (typeof r === 'string' && !r.startsWith('unavailable')) console.log(`${name}, ${wl.name}: ${r}`);
}
process.exit(0); // tfjs-wasm and jax-js keep handles open
