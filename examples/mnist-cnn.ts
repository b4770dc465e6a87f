/**
 * A small CNN (Conv2d, BatchNorm2d, ReLU, MaxPool2d, Dropout, Linear) on the digits of the `mnist`
 * package, with @graft/optim's SGD (Nesterov momentum, cosine schedule) and @graft/losses'
 * cross-entropy; the trained weights are saved as safetensors and loaded back to check them.
 *
 *   pnpm example mnist-cnn [--epochs 4] [--backend cpu|gpu]
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, nn } from '@graft/core';
import { load, save } from '@graft/core/node';
import { crossEntropy } from '@graft/losses';
import { CosineAnnealingLR, SGD } from '@graft/optim';
import { exampleArgs } from './lib/cli.js';
import { loadMnist } from './lib/mnist.js';
import { lineChart } from './lib/plot.js';
import { writeResults } from './lib/results.js';
import { accuracy, fit, pct, predict } from './lib/train.js';

const args = await exampleArgs('pnpm example mnist-cnn', { epochs: 4 });
const batchSize = 64;
const lr = 0.05;
manualSeed(0);

const { train, test } = loadMnist({ images: true });
console.log(`backend ${args.backend}; ${train.y.size} training and ${test.y.size} test digits, [n, 1, 28, 28]`);

const makeModel = (): nn.Sequential => new nn.Sequential(
  new nn.Conv2d(1, 8, 5), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2), //  8 × 12 × 12
  new nn.Conv2d(8, 16, 5), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2), // 16 × 4 × 4
  new nn.Flatten(), new nn.Dropout(0.25), new nn.Linear(256, 10),
);
const model = makeModel();
const optimizer = new SGD(model.parameters(), { lr, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
const scheduler = new CosineAnnealingLR(optimizer, { tMax: args.epochs * Math.ceil(train.y.size / batchSize) });
console.log(`${String(model)}\n${model.numParameters()} parameters; SGD lr ${lr} (cosine), Nesterov momentum 0.9, ` +
  `weight decay 5e-4, batch ${batchSize}, ${args.epochs} epochs\n`);

const start = performance.now();
const history = fit({
  label: 'cnn', model, optimizer, scheduler, train, epochs: args.epochs, batchSize,
  loss: (logits, y) => crossEntropy(logits, y),
  evaluate: () => ({ test: accuracy(predict(model, test.x), test.y) }),
});
const seconds = (performance.now() - start) / 1000;
const testAcc = history[history.length - 1].test;
console.log(`\ntest accuracy ${pct(testAcc)} after ${args.epochs} epochs; ${seconds.toFixed(1)} s of training`);

// Weights on disk: write safetensors, read them into a fresh model, get the same predictions.
const file = join(tmpdir(), 'graft-mnist-cnn.safetensors');
await save(model, file);
const restored = makeModel();
await load(restored, file);
const reloadedAcc = accuracy(predict(restored, test.x), test.y);
console.log(`saved to ${file}; a fresh model loaded from it scores ${pct(reloadedAcc)}`);

const svg = lineChart({
  title: 'mnist-cnn: conv-bn-relu-pool ×2, dropout, linear', xLabel: 'epoch', yLabel: 'test accuracy', yPercent: true,
  series: [{ name: 'test accuracy', x: history.map((r) => r.epoch), y: history.map((r) => r.test) }],
});
writeResults(args.out, 'mnist-cnn', svg, { testAccuracy: testAcc, reloadedTestAccuracy: reloadedAcc, trainSeconds: seconds, history }, { ...args, seconds });
