// Public surface of @graft/core: explicit re-exports only.
export { Tensor, type Storage, type NestedArray } from './tensor.js';
export * from './creation.js';
export * from './sampling.js';
export * from './functional.js';
export { type ValuesIndices, type VarOptions, useFusedKernels } from './ops/reduce.js';
export { setCheckMode, checkMode, requireAll, type CheckMode } from './checks.js';
export { tidy, keep, dispose, setMemoryWarning, liveStorageBytes, type MemoryWarningOptions } from './memory.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { grad, type BackwardOptions, type GradOptions } from './autograd/engine.js';
export { Function } from './autograd/function.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export { type DType, type TypedArray, arrayFor, dtypes, isFloat, promoteTypes } from './dtype.js';
export { type Shape, numel, contiguousStrides, isContiguous, broadcastShapes } from './shape.js';
export { checkNames, closestNames, editDistance } from './names.js';
export { GraftError, ShapeError, DtypeError, BackendError, ArgumentError, IndexError, AutogradError } from './errors.js';
export {
  type Backend, type View, type BackendFactory, type FusedKernels, type UnaryOp, type BinaryOp, type ReduceOp, type ArgReduceOp,
  type RequiredPrimitives, type AcceleratedPrimitives, type CompleteBackend, type FullBackend, type SortResult,
  type RequiredUnaryOp, type RequiredBinaryOp, type AcceleratedUnaryOp, type AcceleratedBinaryOp,
  unaryOps, binaryOps, reduceOps, argReduceOps, comparisonOps, requiredUnaryOps, requiredBinaryOps, acceleratedUnaryOps, acceleratedBinaryOps,
} from './backend/backend.js';
export { registerBackend, setBackend, getBackend, listBackends, hasBackend, defaultBackendName } from './backend/registry.js';
export { createReferenceBackend } from './backend/reference.js';
export * as scalar from './backend/scalar.js';
export * as nn from './nn/index.js';
export * as linalg from './linalg/index.js';
export { formatTensor, formatValues, setPrintOptions, type PrintOptions } from './format.js';
export * from './serialization/index.js';
export { type Dataset, TensorDataset, Subset, DataLoader, type DataLoaderOptions, defaultCollate, randomSplit } from './data/index.js';
