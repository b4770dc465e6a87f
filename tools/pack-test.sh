#!/usr/bin/env bash
# Installs graft as a user would: packs every package (prepack builds dist/), installs the tarballs into
# a fresh project outside the workspace with plain npm, then
#  1. runs an ESM script with plain node: trains a small model with a registry loss and Adam on the CPU
#     backend, resolves every public entry (./node, ./backend-kit, ./testing + their fixtures JSON), and
#     checks that the GPU backend without `gl` fails with a BackendError naming it;
#  2. type-checks a user file with strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes and
#     skipLibCheck false (graft's .d.ts checked under the user's flags).
# The install omits optional dependencies (gpu.js's own `gl`), as a browser-only install would: no native module builds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-pack-test.XXXXXX")
[ -n "${GRAFT_KEEP_PACK_TEST:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/app"

echo "pack-test: packing into $work/tarballs"
for p in core backend-cpu losses optim backend-gpu; do  # dependency order: each prepack builds against the dist before it
  if ! out=$(cd "packages/$p" && pnpm pack --pack-destination "$work/tarballs" 2>&1); then
    echo "$out" | tail -20; echo "pack-test: packing packages/$p failed"; exit 1
  fi
done
for t in "$work"/tarballs/*.tgz; do
  list=$(tar -tzf "$t")
  grep -q '^package/dist/index.js$' <<<"$list" || { echo "pack-test: $(basename "$t") has no dist/index.js"; exit 1; }
  if grep -q '^package/src/' <<<"$list"; then echo "pack-test: $(basename "$t") ships src/"; exit 1; fi
  if tar -xzOf "$t" package/package.json | grep -q 'workspace:'; then echo "pack-test: $(basename "$t") still says workspace:"; exit 1; fi
  printf '  %-28s %4d files, %s\n' "$(basename "$t")" "$(wc -l <<<"$list")" "$(du -h "$t" | cut -f1)"
done

cd "$work/app"
cp ../tarballs/*.tgz .
cat > package.json <<'JSON'
{ "name": "graft-pack-test", "version": "1.0.0", "private": true, "type": "module" }
JSON
echo "pack-test: npm install ./*.tgz (in $work/app)"
npm install --no-audit --no-fund --prefer-offline --omit=optional --loglevel=error ./*.tgz
if [ -e node_modules/gl ]; then echo "pack-test: a browser-only install (--omit=optional) installed gl"; exit 1; fi

cat > train.mjs <<'JS'
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendError, getBackend, manualSeed, nn, randn } from '@graft/core';
import '@graft/backend-cpu';
import '@graft/backend-gpu';
import { registry } from '@graft/losses';
import { Adam } from '@graft/optim';

manualSeed(0);
// Three classes from a fixed linear rule on 4 features.
const x = randn([128, 4]);
const y = x.matmul(randn([4, 3])).argmax(1);
const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
const loss = registry.get('cross-entropy').fn;
const opt = new Adam(model.parameters(), { lr: 0.05 });
const first = loss(model.call(x), y).item();
for (let step = 0; step < 100; step++) {
  opt.zeroGrad();
  loss(model.call(x), y).backward();
  opt.step();
}
const last = loss(model.call(x), y).item();
const acc = model.call(x).argmax(1).eq(y).cast('float32').mean().item();
console.log(`trained on ${getBackend().name}: cross-entropy ${first.toFixed(4)} -> ${last.toFixed(4)}, accuracy ${(acc * 100).toFixed(1)}%`);
if (!(last < first / 2 && acc > 0.9)) throw new Error('training did not converge');

// Every public entry resolves from dist; the ./testing entries' fixtures JSON is in the tarball.
for (const [entry, fixture] of [
  ['@graft/core/node'], ['@graft/core/backend-kit'],
  ['@graft/core/testing', './fixtures/ops.json'],
  ['@graft/losses/testing', '../../test/fixtures/cross_entropy.json'],
  ['@graft/optim/testing', '../../test/fixtures/adam.json'],
]) {
  const url = import.meta.resolve(entry);
  if (!url.includes('/dist/') || !existsSync(fileURLToPath(url))) throw new Error(`${entry} resolves to ${url}`);
  if (fixture && !existsSync(fileURLToPath(new URL(fixture, url)))) throw new Error(`${entry}: ${fixture} is missing`);
}
await import('@graft/core/node');
await import('@graft/core/backend-kit');
console.log('entries: @graft/core/{node,backend-kit,testing}, @graft/losses/testing, @graft/optim/testing resolve to dist, fixtures present');

// Without gl (not installed here), choosing the GPU backend names the missing piece.
try {
  getBackend('gpu');
  console.log('gpu backend opened (gl present)');
} catch (e) {
  if (!(e instanceof BackendError) || !/gl not installed/.test(e.message)) throw e;
  console.log(`gpu backend without gl: ${e.name}: ${e.message.slice(0, 120)}...`);
}
JS
echo "pack-test: node train.mjs"
node train.mjs

cat > user.ts <<'TS'
import { type Tensor, manualSeed, nn, randn, tensor } from '@graft/core';
import '@graft/backend-cpu';
import { crossEntropy, focalLoss, registry, type CrossEntropyOptions } from '@graft/losses';
import { Adam } from '@graft/optim';

manualSeed(1);
const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 2));
const options: ConstructorParameters<typeof Adam>[1] = { lr: 0.01, betas: [0.9, 0.99] };
const opt = new Adam(model.parameters(), options);
const x: Tensor = randn([16, 2]);
const y: Tensor = tensor([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], { dtype: 'int32' });
const ce: CrossEntropyOptions = { labelSmoothing: 0.1 };
opt.zeroGrad();
crossEntropy(model.call(x), y, ce).backward();
opt.step();
const focal: number = focalLoss(model.call(x), y).item();
const names: string[] = registry.list({ category: 'classification' }).map((e) => e.name);
const first: string | undefined = names[0];
console.log(focal, first);
TS
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "noEmit": true,
    "strict": true, "noUncheckedIndexedAccess": true, "exactOptionalPropertyTypes": true,
    "skipLibCheck": false, "types": ["node"], "typeRoots": ["ROOT/node_modules/@types"]
  },
  "files": ["user.ts"]
}
JSON
sed -i "s|ROOT|$root|" tsconfig.json
echo "pack-test: tsc (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck false)"
node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json
echo "pack-test: OK"
