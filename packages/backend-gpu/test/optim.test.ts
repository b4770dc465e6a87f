/**
 * @graft/optim on the gpu backend, through the package's exported suite (@graft/optim/testing:
 * runOptimSuite): PyTorch trajectories in float32 (the backend has no float64) with each step inside
 * `tidy`, and the float32 convergence of the procedures the fixtures do not cover; the live-texture
 * count must stay flat from the second step on.
 *
 * Under Mesa's software GL all 57 fixture cases take about 40 s, too long next to the rest, so
 * by default 23 of them run (`subset`), covering every optimizer, option path and scheduler: SGD
 * with dampening, Nesterov, weight decay, maximize and groups; Adam plain, with betas/eps, weight
 * decay, amsgrad + maximize, AdamW with amsgrad and with groups; Adagrad with and without lr
 * decay; StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR and OneCycleLR
 * (cycling Adam's β₁); SAM(SGD), ASAM(SGD), ASAM(Adam) and SAM(AdamW) under cosine annealing;
 * both problems. GRAFT_GPU_ALL_FIXTURES=1 runs all 57.
 */
import { runOptimSuite } from '@graft/optim/testing';
import { afterEach } from 'vitest';
import { describeGpu, gpu } from './env.js';

const subset = new Set([
  'sgd/dampening/mlp', 'sgd/nesterov/mlp', 'sgd/weight-decay/rosenbrock', 'sgd/maximize/mlp', 'sgd/groups/mlp',
  'adam/adam/rosenbrock', 'adam/betas-eps/mlp', 'adam/weight-decay/mlp', 'adam/amsgrad-maximize/mlp', 'adam/adamw-amsgrad/rosenbrock', 'adam/adamw-groups/mlp',
  'adagrad/adagrad/rosenbrock', 'adagrad/decay/mlp',
  'schedulers/step-lr/mlp', 'schedulers/multi-step-lr/rosenbrock', 'schedulers/exponential-lr/mlp', 'schedulers/linear-lr/mlp',
  'schedulers/cosine-lr/rosenbrock', 'schedulers/one-cycle-adam/mlp',
  'sam/sam-sgd/mlp', 'sam/asam-sgd/rosenbrock', 'sam/asam-adam/mlp', 'sam/sam-adamw-cosine/mlp',
]);
const allFixtures = process.env.GRAFT_GPU_ALL_FIXTURES === '1';

// The tests are synchronous: let vitest's worker answer its RPC between them (a file that blocks
// the event loop for a minute gets "Timeout calling onTaskUpdate").
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

describeGpu('optim on the gpu backend', () => {
  runOptimSuite('gpu', { cases: (c) => allFixtures || subset.has(c.name), liveBuffers: () => gpu().liveTextures() });
});
