/**
 * Building blocks the benchmarks import (`import … from 'examples/common'`): backend selection, an
 * MLP, and softmax cross-entropy (core's fused op: the benchmark's fixed workload). The examples
 * themselves use ./lib and @graft/losses.
 */
import { nn, softmaxCrossEntropy, type Tensor } from '@graft/core';

export { fail, useBackend } from './lib/cli.js';
export { loadMnist, type Split } from './lib/mnist.js';
export { accuracy } from './lib/train.js';

/** Linear layers of the given widths with ReLU between them (none after the last). */
export function mlp(widths: readonly number[]): nn.Sequential {
  const layers: nn.Module[] = [];
  for (let i = 1; i < widths.length; i++) {
    if (i > 1) layers.push(new nn.ReLU());
    layers.push(new nn.Linear(widths[i - 1], widths[i]));
  }
  return new nn.Sequential(...layers);
}

/** Mean of −log softmax(logits)[label] over the batch: core's fused softmax cross-entropy (max-shifted, so it stays finite). */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return softmaxCrossEntropy(logits, labels);
}
