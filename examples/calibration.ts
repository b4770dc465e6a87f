/**
 * Calibration: expected calibration error (ECE, 15 bins) and accuracy of an MLP trained with
 * cross-entropy, label smoothing, focal loss and ACLS, plus cross-entropy followed by temperature
 * scaling fitted on a held-out validation split; a reliability diagram per loss.
 *
 *   pnpm example calibration [--epochs 20] [--seeds 2] [--backend cpu|gpu]
 */
import { Generator, manualSeed, nn, randomSplit, tensor, TensorDataset, type Tensor } from '@graft/core';
import { acls, crossEntropy, ece, focalLoss, labelSmoothingCe, temperatureScaling } from '@graft/losses';
import { Adam, CosineAnnealingLR, SGD } from '@graft/optim';
import { exampleArgs } from './lib/cli.js';
import { loadMnist, type Split } from './lib/mnist.js';
import { grid, lineChart } from './lib/plot.js';
import { printClaims, writeResults } from './lib/results.js';
import { accuracy, fit, mean, pct, pctSpread, predict, std } from './lib/train.js';

const args = await exampleArgs('pnpm example calibration', { epochs: 20, seeds: 2 });
const [nTrain, nVal, batchSize, lr, hidden, diagramBins] = [4000, 1000, 64, 0.05, 256, 10];

const methods: { name: string; loss?: (z: Tensor, y: Tensor) => Tensor; temperatureOf?: string }[] = [
  { name: 'cross-entropy', loss: (z, y) => crossEntropy(z, y) },
  { name: 'CE + temperature scaling', temperatureOf: 'cross-entropy' },
  { name: 'label smoothing (ε 0.1)', loss: (z, y) => labelSmoothingCe(z, y, { eps: 0.1 }) },
  { name: 'focal (γ 3)', loss: (z, y) => focalLoss(z, y, { gamma: 3 }) },
  { name: 'ACLS (α 0.1)', loss: (z, y) => acls(z, y, { alpha: 0.1 }) },
];

/** Per confidence bin: how many test digits, their accuracy and their mean confidence. */
function reliability(probs: Tensor, y: Tensor, bins: number): { count: number[]; acc: number[]; conf: number[] } {
  const conf = probs.amax(1).data();
  const pred = probs.argmax(1).data();
  const labels = y.data();
  const count = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf[i] * bins) - 1)); // (b/B, (b+1)/B], as the ece entry
    count[b]++;
    confSum[b] += conf[i];
    if (pred[i] === labels[i]) hits[b]++;
  }
  return { count, acc: hits.map((h, b) => (count[b] ? h / count[b] : NaN)), conf: confSum.map((c, b) => (count[b] ? c / count[b] : NaN)) };
}

/** The temperature T minimising the validation NLL of softmax(z/T): Adam on log T (Guo et al. use LBFGS). */
function fitTemperature(logits: Tensor, y: Tensor): number {
  const logT = tensor([Math.log(1.5)], { requiresGrad: true });
  const opt = new Adam([logT], { lr: 0.02 });
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    temperatureScaling(logits, y, logT.exp().reshape([])).backward();
    opt.step();
  }
  return Math.exp(logT.item());
}

const rows = methods.map((m) => ({ name: m.name, ece: [] as number[], acc: [] as number[], nll: [] as number[], temperature: [] as number[], bins: [] as ReturnType<typeof reliability>[] }));
const start = performance.now();
for (let seed = 0; seed < args.seeds; seed++) {
  const { train: all, test } = loadMnist();
  // A seeded split of the 9,001 training digits (core's randomSplit): train, validation, the rest unused.
  const [trainSet, valSet] = randomSplit(new TensorDataset(all.x, all.y), [nTrain, nVal, all.y.size - nTrain - nVal], { generator: new Generator(seed) });
  const take = (s: typeof trainSet): Split => { const [x, y] = s.getBatch!([...s.indices.keys()]); return { x, y }; };
  const [train, val] = [take(trainSet), take(valSet)];
  if (seed === 0) {
    console.log(`backend ${args.backend}; ${nTrain} training, ${nVal} validation (temperature only), ${test.y.size} test digits; ` +
      `MLP 784-${hidden}-10, SGD lr ${lr} (cosine) momentum 0.9, batch ${batchSize}, ${args.epochs} epochs, ${args.seeds} seeds\n`);
  }
  const models = new Map<string, nn.Module>();
  methods.forEach((m, i) => {
    let testLogits: Tensor;
    let temperature = 1;
    if (m.temperatureOf) {
      const model = models.get(m.temperatureOf)!;
      temperature = fitTemperature(predict(model, val.x), val.y);
      testLogits = predict(model, test.x).div(temperature);
    } else {
      manualSeed(seed);
      const model = new nn.Sequential(new nn.Linear(784, hidden), new nn.ReLU(), new nn.Linear(hidden, 10));
      const optimizer = new SGD(model.parameters(), { lr, momentum: 0.9, weightDecay: 5e-4 });
      const scheduler = new CosineAnnealingLR(optimizer, { tMax: args.epochs * Math.ceil(nTrain / batchSize) });
      fit({ label: `seed ${seed} ${m.name}`, model, optimizer, scheduler, train, epochs: args.epochs, batchSize, loss: m.loss!, verbose: false });
      models.set(m.name, model);
      testLogits = predict(model, test.x);
    }
    const probs = testLogits.softmax(1);
    const r = rows[i];
    r.ece.push(ece(probs, test.y, { nBins: 15 }).item());
    r.acc.push(accuracy(testLogits, test.y));
    r.nll.push(crossEntropy(testLogits, test.y).item());
    r.temperature.push(temperature);
    r.bins.push(reliability(probs, test.y, diagramBins));
    console.log(`seed ${seed}  ${m.name.padEnd(26)} ECE ${pct(r.ece[seed])}  accuracy ${pct(r.acc[seed])}  NLL ${r.nll[seed].toFixed(4)}` +
      (m.temperatureOf ? `  (T ${temperature.toFixed(3)})` : ''));
  });
}
const seconds = (performance.now() - start) / 1000;

console.log(`\n${'loss'.padEnd(26)} ${'ECE (15 bins)'.padStart(16)}  ${'accuracy'.padStart(16)}  ${'NLL'.padStart(8)}`);
for (const r of rows) console.log(`${r.name.padEnd(26)} ${pctSpread(r.ece).padStart(16)}  ${pctSpread(r.acc).padStart(16)}  ${mean(r.nll).toFixed(4).padStart(8)}`);

const by = (prefix: string): (typeof rows)[number] => rows.find((r) => r.name.startsWith(prefix))!;
const e = (prefix: string): string => `${by(prefix).name} ${pctSpread(by(prefix).ece)}`;
const claims = [
  {
    paper: 'Guo et al. 2017: networks trained with cross-entropy are over-confident; temperature scaling, one T fitted on validation NLL, removes most of the ECE without changing accuracy.',
    graft: `${e('cross-entropy')} → ${e('CE + temperature')} (fitted T ${mean(by('CE + temperature').temperature).toFixed(2)}); accuracy unchanged by construction.`,
  },
  {
    paper: 'Müller et al. 2019 and Mukhoti et al. 2020: label smoothing and focal loss (γ 3) lower ECE against cross-entropy (Mukhoti et al. note a large fixed γ can under-shoot into under-confidence). Park et al. 2023: ACLS lowers ECE below CE, label smoothing and focal loss.',
    graft: `${e('label smoothing')}; ${e('focal')}; ${e('ACLS')} (vs ${e('cross-entropy')}); here cross-entropy is only slightly over-confident to begin with, and label smoothing and focal loss make the model under-confident (mean confidence below accuracy).`,
  },
];
printClaims(claims);

const centers = Array.from({ length: diagramBins }, (_, b) => (b + 0.5) / diagramBins);
const panels = rows.map((r) => {
  // Pool the seeds: per bin, accuracy weighted by the counts.
  const acc = centers.map((_, b) => {
    const n = r.bins.reduce((a, x) => a + x.count[b], 0);
    return n ? r.bins.reduce((a, x) => a + (x.count[b] ? x.acc[b] * x.count[b] : 0), 0) / n : NaN;
  });
  return lineChart({
    title: `${r.name}: ECE ${pctSpread(r.ece)}`, xLabel: 'confidence', yLabel: 'accuracy', xRange: [0, 1], yRange: [0, 1],
    series: [
      { name: 'accuracy per bin', x: centers, y: acc, style: 'bar', barWidth: 1 / diagramBins },
      { name: 'perfect calibration', x: [0, 1], y: [0, 1], style: 'dashed', color: '#555' },
    ],
  });
});
writeResults(args.out, 'calibration', grid(panels, 3), {
  setup: { nTrain, nVal, model: `MLP 784-${hidden}-10`, optimizer: `SGD lr ${lr} cosine, momentum 0.9, wd 5e-4`, batchSize, eceBins: 15, diagramBins },
  results: rows.map((r) => ({ ...r, eceMean: mean(r.ece), eceStd: std(r.ece), accMean: mean(r.acc) })),
  claims,
}, { ...args, seconds });
