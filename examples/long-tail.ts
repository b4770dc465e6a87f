/**
 * Long-tailed digits: the training set cut to an exponential profile with imbalance ratio 100
 * (class 0: 500 digits … class 9: 5), the test set balanced; cross-entropy against the catalog's
 * long-tail losses, reporting balanced test accuracy (mean per-class recall), mean ± std over seeds.
 *
 *   pnpm example long-tail [--epochs 20] [--seeds 3] [--backend cpu|gpu]
 */
import { manualSeed, nn, tensor, zeros, type Tensor } from '@graft/core';
import {
  classBalancedLoss, createDrwWeights, crossEntropy, focalLoss, ldamLoss, logitAdjustedLoss, posthocLogitAdjustment,
} from '@graft/losses';
import { CosineAnnealingLR, SGD } from '@graft/optim';
import { exampleArgs } from './lib/cli.js';
import { classCounts, loadMnist, longTailIndices, trainLabels } from './lib/mnist.js';
import { barChart, grid } from './lib/plot.js';
import { printClaims, writeResults } from './lib/results.js';
import { balancedAccuracy, fit, mean, pct, pctSpread, perClassRecall, predict, std } from './lib/train.js';

const args = await exampleArgs('pnpm example long-tail', { epochs: 20, seeds: 3 });
const [nMax, ratio, batchSize, lr, hidden] = [500, 100, 64, 0.05, 128];

/** Cosine classifier: logits = cos(x, w_k), the layer LDAM is trained with (Cao et al.'s NormedLinear). */
class NormedLinear extends nn.Module<(x: Tensor) => Tensor> {
  readonly weight: Tensor;
  constructor(inFeatures: number, outFeatures: number) {
    super();
    this.weight = nn.Parameter.of(nn.init.kaimingUniform_(zeros([outFeatures, inFeatures]), { a: Math.sqrt(5) })); // nn.Linear's init
  }
  forward(x: Tensor): Tensor {
    const unit = (t: Tensor): Tensor => t.div(t.norm(2, 1, true).add(1e-12));
    return unit(x).matmul(unit(this.weight).transpose(0, 1));
  }
}

const mlp = (cosine: boolean): nn.Sequential => new nn.Sequential(
  new nn.Linear(784, hidden), new nn.ReLU(), cosine ? new NormedLinear(hidden, 10) : new nn.Linear(hidden, 10),
);

interface Method {
  name: string;
  /** The figure's label. */
  short: string;
  cosine?: boolean;
  /** The training objective; `counts` are the training class counts. */
  loss: (counts: Tensor) => (logits: Tensor, y: Tensor, epoch: number) => Tensor;
  /** Post-hoc: adjusts the logits of another method's model instead of training one. */
  posthocOf?: string;
}
const methods: Method[] = [
  { name: 'cross-entropy', short: 'CE', loss: () => (z, y) => crossEntropy(z, y) },
  { name: 'focal (γ 2)', short: 'focal', loss: () => (z, y) => focalLoss(z, y, { gamma: 2 }) },
  { name: 'class-balanced CE (β 0.9999)', short: 'CB', loss: (classCounts) => (z, y) => classBalancedLoss(z, y, { classCounts, beta: 0.9999 }) },
  {
    name: 'LDAM-DRW', short: 'LDAM-DRW', cosine: true, loss: (classCounts) => {
      const drw = createDrwWeights({ classCounts, deferEpoch: Math.floor(0.8 * args.epochs), beta: 0.9999 });
      // .float(): the DRW weights come back float64; in float32 they keep the loss (and its gradient) in the model's dtype
      return (z, y, epoch) => ldamLoss(z, y, { classCounts, mMax: 0.5, s: 30, weight: drw.update(epoch).float() });
    },
  },
  { name: 'balanced softmax', short: 'bal. softmax', loss: (classCounts) => (z, y) => logitAdjustedLoss(z, y, { classCounts, tau: 1 }) },
  { name: 'logit adjustment (post-hoc, τ 1)', short: 'LA post-hoc', posthocOf: 'cross-entropy', loss: () => () => { throw new Error('post-hoc'); } },
];

const rows = methods.map((m) => ({ name: m.name, balanced: [] as number[], headRecall: [] as number[], tailRecall: [] as number[], perClass: [] as number[][] }));
let counts: number[] = [];
const start = performance.now();
for (let seed = 0; seed < args.seeds; seed++) {
  const indices = longTailIndices({ nMax, ratio, seed });
  counts = classCounts(indices.map((i) => trainLabels()[i]));
  const { train, test } = loadMnist({ trainIndices: indices });
  const classCountsT = tensor(counts);
  if (seed === 0) {
    console.log(`backend ${args.backend}; training digits per class ${counts.join(' ')} (${indices.length} in all, ratio ${counts[0] / counts[9]}), ` +
      `${test.y.size} test digits; MLP 784-${hidden}-10, SGD lr ${lr} (cosine) momentum 0.9, batch ${batchSize}, ${args.epochs} epochs, ${args.seeds} seeds\n`);
  }
  const logitsOf = new Map<string, Tensor>();
  methods.forEach((m, i) => {
    let logits: Tensor;
    if (m.posthocOf) {
      logits = posthocLogitAdjustment(logitsOf.get(m.posthocOf)!, { classCounts: classCountsT, tau: 1 });
    } else {
      manualSeed(seed);
      const model = mlp(m.cosine ?? false);
      const optimizer = new SGD(model.parameters(), { lr, momentum: 0.9, weightDecay: 5e-4 });
      const scheduler = new CosineAnnealingLR(optimizer, { tMax: args.epochs * Math.ceil(train.y.size / batchSize) });
      fit({ label: `seed ${seed} ${m.name}`, model, optimizer, scheduler, train, epochs: args.epochs, batchSize, loss: m.loss(classCountsT), verbose: false });
      logits = predict(model, test.x);
      logitsOf.set(m.name, logits);
    }
    const recall = perClassRecall(logits, test.y);
    rows[i].balanced.push(balancedAccuracy(logits, test.y));
    rows[i].perClass.push(recall);
    rows[i].headRecall.push(mean(recall.slice(0, 3)));
    rows[i].tailRecall.push(mean(recall.slice(7)));
    console.log(`seed ${seed}  ${m.name.padEnd(34)} balanced test accuracy ${pct(rows[i].balanced[seed])}  ` +
      `(head 0-2 ${pct(rows[i].headRecall[seed])}, tail 7-9 ${pct(rows[i].tailRecall[seed])})`);
  });
}
const seconds = (performance.now() - start) / 1000;

console.log(`\n${'loss'.padEnd(34)} ${'balanced acc'.padStart(16)}  ${'head (0-2)'.padStart(16)}  ${'tail (7-9)'.padStart(16)}`);
for (const r of rows) console.log(`${r.name.padEnd(34)} ${pctSpread(r.balanced).padStart(16)}  ${pctSpread(r.headRecall).padStart(16)}  ${pctSpread(r.tailRecall).padStart(16)}`);

const ce = rows[0];
const by = (name: string): (typeof rows)[number] => rows.find((r) => r.name.startsWith(name))!;
const delta = (name: string): string => {
  const d = mean(by(name).balanced) - mean(ce.balanced);
  return `${pctSpread(by(name).balanced)} (${d >= 0 ? '+' : '−'}${(100 * Math.abs(d)).toFixed(2)} points vs CE)`;
};
const claims = [
  {
    paper: 'Cao et al. 2019 (LDAM, Table 2, CIFAR-10-LT, ratio 100, ResNet-32): top-1 error 29.64% with CE, 29.62% with focal, 22.97% with LDAM-DRW: focal alone does not help, LDAM-DRW does, by about 7 points.',
    graft: `balanced accuracy, ${args.seeds} seeds: CE ${pctSpread(ce.balanced)}, focal ${delta('focal')}, class-balanced ${delta('class-balanced')}, LDAM-DRW ${delta('LDAM')}.`,
  },
  {
    paper: 'Cui et al. 2019 (class-balanced loss): re-weighting by the inverse effective number improves over the unweighted loss on long-tailed CIFAR.',
    graft: `class-balanced CE: ${pctSpread(by('class-balanced').balanced)} vs CE ${pctSpread(ce.balanced)}.`,
  },
  {
    paper: 'Ren et al. 2020 (Balanced Softmax) and Menon et al. 2021 (logit adjustment): adding log-priors to the logits in the loss, or subtracting them after training, beats CE and the re-weighting baselines in balanced accuracy on long-tailed CIFAR, ImageNet-LT and iNaturalist.',
    graft: `balanced softmax ${delta('balanced softmax')}, post-hoc logit adjustment ${delta('logit adjustment')}.`,
  },
];
printClaims(claims);

const charts = [
  barChart({
    title: `balanced test accuracy, ratio ${ratio} (± std, ${args.seeds} seeds)`, yLabel: 'balanced accuracy', yPercent: true,
    categories: methods.map((m) => m.short),
    series: [{ name: 'balanced accuracy', values: rows.map((r) => mean(r.balanced)), errors: rows.map((r) => std(r.balanced)) }],
    yRange: [0.5, 1],
  }),
  barChart({
    title: 'test recall per class (training count)', yLabel: 'recall', yPercent: true,
    categories: counts.map((c, k) => `${k} (${c})`),
    series: rows.filter((r) => ['cross-entropy', 'LDAM-DRW', 'balanced softmax'].includes(r.name))
      .map((r) => ({ name: r.name, values: counts.map((_, k) => mean(r.perClass.map((p) => p[k]))) })),
    yRange: [0, 1],
  }),
];
writeResults(args.out, 'long-tail', grid(charts, 2), {
  setup: { nMax, ratio, trainCounts: counts, model: `MLP 784-${hidden}-10`, optimizer: `SGD lr ${lr} cosine, momentum 0.9, wd 5e-4`, batchSize },
  results: rows.map((r) => ({ ...r, balancedMean: mean(r.balanced), balancedStd: std(r.balanced) })),
  claims,
}, { ...args, seconds });
