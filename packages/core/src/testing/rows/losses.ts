/** Op-table rows: core's fused loss ops (tools/gen_ops_losses.py). */
import { fromTyped } from '../../creation.js';
import { DtypeError, IndexError, ShapeError } from '../../errors.js';
import { softmaxCrossEntropy } from '../../ops/cross-entropy.js';
import { type Rows, bigLogits, second } from '../op-row.js';

const f = (data: number[], shape: number[], backend: string) => fromTyped(data, shape, { backend });
const i32 = (data: number[], shape: number[], backend: string) => fromTyped(data, shape, { dtype: 'int32', backend });
const x23 = (b: string) => f([1, 2, 3, 4, 5, 6], [2, 3], b);

export const lossRows = {
  softmaxCrossEntropy: {
    fn: ([x, t], k) => softmaxCrossEntropy(x, t, { ignoreIndex: k.ignoreIndex, reduction: k.reduction }),
    differentiable: true,
    ...second,
    ...bigLogits('softmaxCrossEntropy'),
    errors: [
      { name: 'a target past the last class', call: (b) => softmaxCrossEntropy(x23(b), i32([0, 3], [2], b)), error: IndexError, message: /^softmaxCrossEntropy: a target is out of range for 3 classes/ },
      { name: 'a negative target that is not ignoreIndex', call: (b) => softmaxCrossEntropy(x23(b), i32([-1, 0], [2], b)), error: IndexError, message: /out of range for 3 classes/ },
      { name: 'float targets (probabilities go through @graft/losses)', call: (b) => softmaxCrossEntropy(x23(b), f([0, 1], [2], b)), error: DtypeError, message: /expected int32 class-index targets, got float32/ },
      { name: 'int logits', call: (b) => softmaxCrossEntropy(i32([1, 2, 3, 4], [2, 2], b), i32([0, 1], [2], b)), error: DtypeError, message: /expected float logits, got int32/ },
      { name: 'one target per row expected', call: (b) => softmaxCrossEntropy(x23(b), i32([0, 1, 2], [3], b)), error: ShapeError, message: /expected input \[N, C, \.\.\.\] and target \[N, \.\.\.\], got input \[2, 3\] and target \[3\]/ },
    ],
  },
} satisfies Rows;
