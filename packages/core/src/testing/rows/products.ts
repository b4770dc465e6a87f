/** Op-table rows: distances, products and pooling (tools/gen_ops_products.py). */
import { fromTyped } from '../../creation.js';
import { ArgumentError, DtypeError, ShapeError } from '../../errors.js';
import { cdist, cosineSimilarity, pairwiseDistance } from '../../ops/distance.js';
import { einsum } from '../../ops/einsum.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../../ops/pool.js';
import { baddbmm, bmm, kron, mm } from '../../ops/products.js';
import type { Tensor } from '../../tensor.js';
import { type ErrorInput, type Rows, type Skip, bin, second, un, withIndices } from '../op-row.js';

/** A float32 tensor of shape `shape` (values 0, 1, 2, …) on `backend`. */
const t = (backend: string, shape: number[], dtype: 'float32' | 'int32' = 'float32'): Tensor =>
  fromTyped(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape, { dtype, backend });

const err = (name: string, call: (b: string) => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({ name, call, error, message });

/** Second derivatives of a norm at a zero vector do not exist (the Hessian grows like 1/‖x‖): skip gradgradcheck on these cases; first order is checked. */
const noHessianAtZero = (cases: string[], what: string): Skip[] =>
  cases.map((c) => ({ test: 'gradgradcheck', case: c, reason: `${what} has no second derivative at 0; its first derivative there (PyTorch's subgradient) is checked by backward and gradcheck` }));

/** The bad calls every 2-d pooling op shares (input rank, kernel larger than the padded input). */
const poolErrors = (op: string, call: (x: Tensor, k: number) => unknown): ErrorInput[] => [
  err('2-d input', (b) => call(t(b, [4, 4]), 2), ShapeError, new RegExp(`^${op}: got input of shape \\[4, 4\\], expected \\[N, C, H, W\\] or \\[C, H, W\\]`)),
  err('5-d input', (b) => call(t(b, [1, 1, 1, 4, 4]), 2), ShapeError, new RegExp(`^${op}: got input of shape \\[1, 1, 1, 4, 4\\]`)),
];

export const productRows = {
  cdist: bin((a, b, k) => cdist(a, b as Tensor, k), {
    ...second,
    skips: noHessianAtZero(['cdist_zero_distance_p2', 'cdist_zero_distance_p1', 'cdist_zero_distance_p3', 'cdist_zero_distance_p0_5'], 'the distance at a zero difference'),
    errors: [
      err('1-d input', (b) => cdist(t(b, [3]), t(b, [2, 3])), ShapeError, /^cdist: got shapes \[3\] and \[2, 3\], expected x1 \[\.\.\., P, M\]/),
      err('feature sizes differ', (b) => cdist(t(b, [2, 3]), t(b, [2, 4])), ShapeError, /^cdist: x1 has 3 features and x2 has 4/),
      err('negative p', (b) => cdist(t(b, [2, 3]), t(b, [2, 3]), { p: -1 }), ArgumentError, /^cdist: got p = -1, expected p ≥ 0/),
      err('int inputs', (b) => cdist(t(b, [2, 3], 'int32'), t(b, [2, 3], 'int32')), DtypeError, /^cdist: expected floating-point tensors, got int32/),
      err('batch dims that do not broadcast', (b) => cdist(t(b, [2, 2, 3]), t(b, [3, 2, 3])), ShapeError, /^cdist: /),
    ],
  }),
  cosineSimilarity: bin((a, b, k) => cosineSimilarity(a, b as Tensor, k), {
    ...second,
    skips: [
      { test: 'gradcheck', case: 'cosineSimilarity_zero_vectors', reason: 'at a zero vector with eps = 1e-8 the finite-difference step (1e-6) leaves the clamped region, so central differences see the kink of ‖x‖; the same inputs with eps = 0.1 (cosineSimilarity_zero_vectors_eps) pass' },
      { test: 'gradgradcheck', case: 'cosineSimilarity_zero_vectors', reason: 'as for gradcheck: the step (1e-6) leaves the clamped region of eps = 1e-8' },
      ...(['gradcheck', 'gradgradcheck'] as const).map((test): Skip => ({ test, case: 'cosineSimilarity_below_eps', reason: 'for 0 < ‖x‖ < eps PyTorch 1.13 clamps Σx² in place under no_grad, so its gradient (matched by the backward test) is not the derivative of its value, which finite differences measure' })),
    ],
    errors: [
      err('shapes that do not broadcast', (b) => cosineSimilarity(t(b, [2, 3]), t(b, [4, 3])), ShapeError, /^cosineSimilarity: /),
      err('dim out of range', (b) => cosineSimilarity(t(b, [2, 3]), t(b, [2, 3]), { dim: 2 }), ShapeError, /^cosineSimilarity: dim 2 is out of range/),
      err('negative eps', (b) => cosineSimilarity(t(b, [2, 3]), t(b, [2, 3]), { eps: -1 }), ArgumentError, /^cosineSimilarity: got eps = -1, expected eps ≥ 0/),
    ],
  }),
  pairwiseDistance: bin((a, b, k) => pairwiseDistance(a, b as Tensor, k), {
    ...second,
    skips: [
      { test: 'gradcheck', case: 'pairwiseDistance_zero_distance', reason: 'x1 = x2 leaves x1 − x2 + eps = 1e-6 per component, the size of the finite-difference step, so central differences straddle the norm\'s kink at 0' },
      { test: 'gradgradcheck', case: 'pairwiseDistance_zero_distance', reason: 'as for gradcheck: the difference (1e-6) is the size of the finite-difference step' },
    ],
    errors: [
      err('shapes that do not broadcast', (b) => pairwiseDistance(t(b, [2, 3]), t(b, [2, 4])), ShapeError, /^pairwiseDistance: /),
      err('NaN p', (b) => pairwiseDistance(t(b, [2, 3]), t(b, [2, 3]), { p: NaN }), ArgumentError, /^pairwiseDistance: got p = NaN/),
    ],
  }),
  einsum: { fn: (xs, k) => einsum(k.equation, ...xs), differentiable: true, secondOrder: true, errors: [
    err('unknown subscript', (b) => einsum('ij,j1', t(b, [2, 3]), t(b, [3, 2])), ArgumentError, /^einsum: invalid subscript '1' at index 4 in the equation string, expected subscripts in \[a-zA-Z\]/),
    err('fewer operands than terms', (b) => einsum('ij,jk->ik', t(b, [2, 3])), ArgumentError, /^einsum: the equation 'ij,jk->ik' names 2 operand\(s\), but 1 were given/),
    err('more operands than terms', (b) => einsum('ij->ji', t(b, [2, 3]), t(b, [3])), ArgumentError, /^einsum: the equation 'ij->ji' names 1 operand\(s\), but 2 were given/),
    err('inconsistent sizes', (b) => einsum('ij,jk->ik', t(b, [2, 3]), t(b, [4, 2])), ShapeError, /^einsum: subscript j has size 4 for operand 1, which does not broadcast with the size 3/),
    err('repeated subscript of unequal sizes', (b) => einsum('ii->i', t(b, [2, 3])), ShapeError, /^einsum: subscript i is repeated for operand 0 but its sizes differ \(2 and 3\)/),
    err('output subscript not in the inputs', (b) => einsum('ij->k', t(b, [2, 3])), ArgumentError, /^einsum: output subscript k does not appear/),
    err('output subscript repeated', (b) => einsum('ij->ii', t(b, [2, 3])), ArgumentError, /^einsum: output subscript i appears more than once/),
    err('subscripts do not match the rank', (b) => einsum('ijk', t(b, [2, 3])), ShapeError, /^einsum: operand 0 of shape \[2, 3\] has 2 dims but its subscripts name 3 and no ellipsis was given/),
    err('a lone dot', (b) => einsum('i.j', t(b, [2, 3])), ArgumentError, /^einsum: found '\.' for operand 0 that is not part of any ellipsis/),
    err('no operands', () => einsum('i'), ArgumentError, /^einsum: got no operands/),
  ] },
  mm: bin((a, b) => mm(a, b as Tensor), {
    ...second,
    errors: [
      err('1-d operand', (b) => mm(t(b, [3]), t(b, [3, 2])), ShapeError, /^mm: got shapes \[3\] and \[3, 2\], expected two matrices/),
      err('3-d operand', (b) => mm(t(b, [2, 2, 3]), t(b, [3, 2])), ShapeError, /^mm: got shapes \[2, 2, 3\] and \[3, 2\], expected two matrices/),
      err('inner sizes differ', (b) => mm(t(b, [2, 3]), t(b, [4, 2])), ShapeError, /^mm: shapes \[2, 3\] and \[4, 2\] cannot be multiplied \(3 ≠ 4\)/),
    ],
  }),
  bmm: bin((a, b) => bmm(a, b as Tensor), {
    ...second,
    errors: [
      err('2-d operand', (b) => bmm(t(b, [2, 3]), t(b, [3, 2])), ShapeError, /^bmm: got shapes \[2, 3\] and \[3, 2\], expected two 3-d batches/),
      err('batch sizes differ (no broadcasting)', (b) => bmm(t(b, [1, 2, 3]), t(b, [3, 3, 2])), ShapeError, /^bmm: got shapes \[1, 2, 3\] and \[3, 3, 2\], expected \[B, n, m\] and \[B, m, p\]/),
      err('inner sizes differ', (b) => bmm(t(b, [2, 2, 3]), t(b, [2, 4, 2])), ShapeError, /^bmm: got shapes \[2, 2, 3\] and \[2, 4, 2\]/),
    ],
  }),
  baddbmm: {
    fn: ([i, a, b], k) => baddbmm(i, a, b, k),
    differentiable: true,
    secondOrder: true,
    errors: [
      err('input that does not broadcast', (b) => baddbmm(t(b, [3, 2, 2]), t(b, [2, 2, 3]), t(b, [2, 3, 2])), ShapeError, /^baddbmm: /),
      err('2-d batch operand', (b) => baddbmm(t(b, [2, 2]), t(b, [2, 3]), t(b, [3, 2])), ShapeError, /^baddbmm: got shapes \[2, 3\] and \[3, 2\], expected two 3-d batches/),
    ],
  },
  kron: bin((a, b) => kron(a, b as Tensor), {
    ...second,
    errors: [err('bool operands', (b) => kron(t(b, [2]).gt(0), t(b, [2])), DtypeError, /^kron: expected numeric tensors, got bool and float32/)],
  }),
  maxPool2d: withIndices((x, k) => maxPool2d(x, { ...(k as { kernelSize: number }), returnIndices: true }), {
    ...second,
    errors: [
      ...poolErrors('maxPool2d', (x, k) => maxPool2d(x, { kernelSize: k })),
      err('padding over half the kernel', (b) => maxPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 3, padding: 2 }), ArgumentError, /^maxPool2d: got padding 2,2 for kernelSize 3,3, expected padding at most half of the kernel size/),
      err('kernel larger than the padded input', (b) => maxPool2d(t(b, [1, 1, 2, 2]), { kernelSize: 3 }), ShapeError, /^maxPool2d: input \[1, 1, 2, 2\] gives output size 0×0/),
      err('zero kernel', (b) => maxPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 0 }), ArgumentError, /^maxPool2d: got kernelSize 0,0, expected kernel sizes greater than zero/),
      err('zero stride', (b) => maxPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 2, stride: 0 }), ArgumentError, /^maxPool2d: got stride 0,0, expected strides greater than zero/),
      err('negative stride', (b) => maxPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 2, stride: [1, -1] }), ArgumentError, /^maxPool2d: got stride 1,-1/),
      err('zero dilation', (b) => maxPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 2, dilation: 0 }), ArgumentError, /^maxPool2d: got dilation 0,0, expected dilations greater than zero/),
      err('int input', (b) => maxPool2d(t(b, [1, 1, 4, 4], 'int32'), { kernelSize: 2 }), DtypeError, /^maxPool2d: got a int32 input, expected a float tensor/),
    ],
  }),
  avgPool2d: un((x, k) => avgPool2d(x, k as { kernelSize: number }), {
    ...second,
    errors: [
      ...poolErrors('avgPool2d', (x, k) => avgPool2d(x, { kernelSize: k })),
      err('padding over half the kernel', (b) => avgPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 2, padding: 2 }), ArgumentError, /^avgPool2d: got padding 2,2 for kernelSize 2,2, expected padding at most half/),
      err('kernel larger than the padded input', (b) => avgPool2d(t(b, [1, 1, 2, 2]), { kernelSize: 3 }), ShapeError, /^avgPool2d: input \[1, 1, 2, 2\] gives output size 0×0/),
      err('negative kernel', (b) => avgPool2d(t(b, [1, 1, 4, 4]), { kernelSize: -2 }), ArgumentError, /^avgPool2d: got kernelSize -2,-2, expected kernel sizes greater than zero/),
      err('zero divisorOverride', (b) => avgPool2d(t(b, [1, 1, 4, 4]), { kernelSize: 2, divisorOverride: 0 }), ArgumentError, /^avgPool2d: got divisorOverride 0, expected a non-zero integer/),
    ],
  }),
  adaptiveAvgPool2d: un((x, k) => adaptiveAvgPool2d(x, k.outputSize), {
    ...second,
    errors: [
      err('2-d input', (b) => adaptiveAvgPool2d(t(b, [4, 4]), 2), ShapeError, /^adaptiveAvgPool2d: got input of shape \[4, 4\], expected \[N, C, H, W\] or \[C, H, W\]/),
      err('zero-size plane', (b) => adaptiveAvgPool2d(t(b, [1, 1, 0, 4]), 2), ShapeError, /^adaptiveAvgPool2d: got input of shape \[1, 1, 0, 4\]/),
      err('negative output size', (b) => adaptiveAvgPool2d(t(b, [1, 1, 4, 4]), [-1, 2]), ArgumentError, /^adaptiveAvgPool2d: got outputSize \[-1,2\], expected two integers ≥ 0/),
    ],
  }),
} satisfies Rows;
