// Assembles wasm/kernels.wat into src/wasm/binaries.gen.ts (base64, so the module loads the same
// way in Node and in a bundler, with no file read at run time). Four variants from one source:
// {plain SIMD, relaxed SIMD (fused multiply-add)} × {shared memory for worker threads, unshared}.
// The runtime validates each at start-up and takes the best one it accepts.
// Runs from `pnpm install` (this package's `prepare`) and again from the tests' global setup, so a
// clean clone needs no manual step; it rewrites the output only when the source changed.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import wabtInit from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = join(root, 'wasm', 'kernels.wat');
const outPath = join(root, 'src', 'wasm', 'binaries.gen.ts');

const source = readFileSync(sourcePath, 'utf8');
const hash = createHash('sha256').update(source).update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 16);
if (existsSync(outPath) && readFileSync(outPath, 'utf8').includes(`source ${hash}`)) process.exit(0);

/** The s-expression starting at `i` (an open paren): its end index (exclusive). */
function sexpEnd(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')' && --depth === 0) return j + 1;
  }
  throw new Error('kernels.wat: unbalanced parentheses');
}

/** Functions a kernel may inline with `(name! ARG)` (their params and locals are all v128). */
const INLINE = ['exp4', 'tanh4', 'sigmoid4'];

/**
 * Inlines `(exp4! ARG)`, `(tanh4! ARG)`, `(sigmoid4! ARG)` as a block computing that function's body
 * on ARG, in a function that declares INLINE_LOCALS (the scratch locals of all three). V8 in Node 20
 * does not inline calls between wasm functions, and a call per f32x4 in the elementwise and softmax
 * loops costs about as much as the polynomial.
 */
function inline(text) {
  // whole-line comments go first (the header names the macros)
  let out = text.split('\n').filter((l) => !l.trimStart().startsWith(';;')).join('\n');
  const fns = {};
  for (const name of INLINE) {
    const at = out.indexOf(`(func $${name} `);
    const fn = out.slice(at, sexpEnd(out, at)).replace('INLINE_LOCALS', '');
    const names = [...fn.matchAll(/\((?:param|local) (\$\w+)/g)].map((m) => m[1]);
    let body = fn.slice(1); // after the last (param …), (result …) or (local …): the body
    for (let i = body.search(/\((param|result|local) /); i >= 0; i = body.search(/\((param|result|local) /)) body = body.slice(sexpEnd(body, i));
    body = body.slice(0, -1);
    for (const n of names) body = body.replaceAll(new RegExp(`\\${n}\\b`, 'g'), `$${name}_${n.slice(1)}`);
    fns[name] = { body, locals: names.map((n) => `(local $${name}_${n.slice(1)} v128)`) };
  }
  // Every use is inlined: the functions themselves would be dead code in the binary.
  for (const name of INLINE) {
    if (out.includes(`call $${name}`)) throw new Error(`kernels.wat: call $${name}: use (${name}! …)`);
    const at = out.indexOf(`(func $${name} `);
    out = out.slice(0, at) + out.slice(sexpEnd(out, at));
  }
  out = out.replaceAll('INLINE_LOCALS', INLINE.flatMap((n) => fns[n].locals).join(' '));
  const macro = new RegExp(`\\((${INLINE.join('|')})! `);
  for (let m = macro.exec(out); m; m = macro.exec(out)) {
    const end = sexpEnd(out, m.index);
    const arg = out.slice(m.index + m[0].length, end - 1);
    out = `${out.slice(0, m.index)}(block (result v128) (local.set $${m[1]}_x ${arg}) ${fns[m[1]].body})${out.slice(end)}`;
  }
  return out;
}

/** Expands the source's macros (see the header of kernels.wat). */
function expand(relaxed, shared) {
  return inline(source)
    .replace(/\(fma (\$\w+) (\$\w+) (\$\w+)\)/g, (_, acc, x, y) => relaxed
      ? `(local.set ${acc} (f32x4.relaxed_madd (local.get ${x}) (local.get ${y}) (local.get ${acc})))`
      : `(local.set ${acc} (f32x4.add (local.get ${acc}) (f32x4.mul (local.get ${x}) (local.get ${y}))))`)
    .replace(/ SHARED\)/, shared ? ' shared)' : ')');
}

const wabt = await wabtInit();
const assemble = (relaxed, shared) => {
  const mod = wabt.parseWat('kernels.wat', expand(relaxed, shared), { simd: true, threads: true, relaxed_simd: relaxed });
  const { buffer } = mod.toBinary({});
  mod.destroy();
  // wabt.js's validate() ignores the feature flags (it rejects shared memory), so V8 validates
  // instead: every variant must compile here (relaxed ones where this Node accepts relaxed SIMD).
  if (!WebAssembly.validate(buffer) && !relaxed) throw new Error(`kernels.wat: ${shared ? 'shared ' : ''}SIMD variant does not validate`);
  return Buffer.from(buffer);
};
// A shared variant differs from its single-threaded twin in one byte, the memory import's limits flags:
// only the single-threaded binaries ship, and the runtime sets that byte for the shared memory.
const variants = {};
let flagAt = -1;
let sharedFlags = -1;
for (const relaxed of [false, true]) {
  const [plain, shared] = [assemble(relaxed, false), assemble(relaxed, true)];
  const diff = [...plain.keys()].filter((i) => plain[i] !== shared[i]);
  if (plain.length !== shared.length || diff.length !== 1 || (flagAt >= 0 && diff[0] !== flagAt)) throw new Error('kernels.wat: the shared variant differs by more than the memory flags');
  [flagAt, sharedFlags] = [diff[0], shared[diff[0]]];
  variants[relaxed ? 'relaxed' : 'simd'] = plain.toString('base64');
}
const lines = [
  ...Object.entries(variants).map(([k, v]) => `export const ${k} = '${v}';`),
  `/** Where the memory import's limits flags sit in both binaries, and their value for a shared memory. */`,
  `export const sharedMemoryFlags = { at: ${flagAt}, value: ${sharedFlags} };`,
];
writeFileSync(outPath, `// Generated by scripts/build-wasm.mjs from wasm/kernels.wat (source ${hash}); do not edit, not checked in.\n${lines.join('\n')}\n`);
console.log(`backend-cpu: assembled wasm/kernels.wat (${Object.values(variants).map((v) => Math.round(v.length * 0.75)).join(', ')} bytes)`);
