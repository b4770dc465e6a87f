/**
 * The demo: a 784-256-128-10 MLP (ReLU) fitted to the digits of the `mnist` package, each training
 * digit shifted by up to ±2 pixels, with @graft/optim's SGD (Nesterov momentum, cosine schedule) and
 * @graft/losses' cross-entropy.
 *
 *   pnpm demo            (= pnpm example mnist-mlp)  [--epochs 15] [--backend cpu|gpu]
 */
import { Generator, manualSeed, nn } from '@graft/core';
import { crossEntropy } from '@graft/losses';
import { CosineAnnealingLR, SGD } from '@graft/optim';
import { randomShift } from './lib/augment.js';
import { exampleArgs } from './lib/cli.js';
import { loadMnist } from './lib/mnist.js';
import { lineChart } from './lib/plot.js';
import { writeResults } from './lib/results.js';
import { accuracy, fit, pct, predict } from './lib/train.js';

const args = await exampleArgs('pnpm example mnist-mlp', { epochs: 15 });
const batchSize = 64;
const lr = 0.05;
manualSeed(0); // initial weights, dropout masks and every shuffle come from graft's seeded generator

const t0 = performance.now();
const { train, test } = loadMnist();
console.log(`backend ${args.backend}; ${train.y.size} training and ${test.y.size} test digits (loaded in ${secs(t0)} s)`);

const model = new nn.Sequential(
  new nn.Linear(784, 256), new nn.ReLU(),
  new nn.Linear(256, 128), new nn.ReLU(),
  new nn.Linear(128, 10),
);
const optimizer = new SGD(model.parameters(), { lr, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
const scheduler = new CosineAnnealingLR(optimizer, { tMax: args.epochs * Math.ceil(train.y.size / batchSize) });
console.log(`${String(model)}\n${model.numParameters()} parameters; SGD lr ${lr} (cosine), Nesterov momentum 0.9, ` +
  `weight decay 5e-4, batch ${batchSize}, ${args.epochs} epochs\n`);

const shifts = new Generator(1);
const start = performance.now();
const history = fit({
  label: 'mlp', model, optimizer, scheduler, train, epochs: args.epochs, batchSize,
  augment: (x) => randomShift(x, 2, shifts), // each digit moved by up to ±2 pixels
  loss: (logits, y) => crossEntropy(logits, y),
  evaluate: () => ({ test: accuracy(predict(model, test.x), test.y) }),
});
const seconds = (performance.now() - start) / 1000;
const testAcc = history[history.length - 1].test;
console.log(`\ntest accuracy ${pct(testAcc)} after ${args.epochs} epochs; ${seconds.toFixed(1)} s of training`);

const svg = lineChart({
  title: 'mnist-mlp: 784-256-128-10 MLP', xLabel: 'epoch', yLabel: 'test accuracy', yPercent: true,
  series: [{ name: 'test accuracy', x: history.map((r) => r.epoch), y: history.map((r) => r.test) }],
});
writeResults(args.out, 'mnist-mlp', svg, { testAccuracy: testAcc, trainSeconds: seconds, history }, { ...args, seconds });

function secs(since: number): string { return ((performance.now() - since) / 1000).toFixed(1); }
