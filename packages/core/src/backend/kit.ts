/**
 * @graft/core/backend-kit: what a backend author builds on. The contract's types and op lists,
 * the semantics table (each elementwise op's scalar rule, written once), strided-view helpers
 * (coalescing, line iteration, broadcasting index math), and core's compositions of the
 * accelerated tier. docs/backends.md walks through a backend built from these.
 */
export {
  type Backend, type RequiredPrimitives, type AcceleratedPrimitives, type CompleteBackend, type FullBackend, type View, type SortResult,
  type FusedKernels, type BackendFactory, type UnaryOp, type BinaryOp, type ReduceOp, type ArgReduceOp,
  type RequiredUnaryOp, type RequiredBinaryOp, type AcceleratedUnaryOp, type AcceleratedBinaryOp,
  unaryOps, binaryOps, reduceOps, argReduceOps, requiredUnaryOps, requiredBinaryOps, acceleratedUnaryOps, acceleratedBinaryOps,
  comparisonOps,
} from './backend.js';
export {
  type UnaryRule, type BinaryRule, type UnaryRules, type BinaryRules,
  unaryRules, binaryRules, ruleExpr, unaryFn, binaryFn, scalarHelpers, erf, sigmoid, roundHalfEven, intPow,
} from './scalar.js';
export {
  denseView, isDense, asLine, withoutAxis, permuteView, alongAxes, forEachIndex, offsetOf, coalesce, lines, forEachLine,
} from './strided.js';
export { Composer, compose } from './composer.js';
export { completeBackend, requiredTier, unaryCompositions, binaryCompositions } from './fallbacks.js';
export { registerBackend } from './registry.js';
export { type DType, type TypedArray, arrayFor, dtypes, isFloat } from '../dtype.js';
export { type Shape, numel, contiguousStrides, isContiguous } from '../shape.js';
