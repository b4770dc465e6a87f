/**
 * Building blocks the benchmarks import (`import … from 'examples/common'`): backend selection, an
 * MLP, and softmax cross-entropy (core's fused op: the benchmark's fixed workload). The examples
 * themselves use ./lib and @graft/losses.
 */
import { softmaxCrossEntropy, type Tensor } from '@graft/core';

export { fail, useBackend } from './lib/cli.js';
export { loadMnist, type Split } from './lib/mnist.js';
export { accuracy } from './lib/train.js';
export { mlp } from './lib/mlp.js';

/** Mean of −log softmax(logits)[label] over the batch: core's fused softmax cross-entropy (max-shifted, so it stays finite). */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return softmaxCrossEntropy(logits, labels);
}
