/**
 * @graft/core/testing: the op table, the PyTorch fixtures and the backend conformance suite.
 * A separate entry so that the main entry never imports vitest.
 */
export { runConformance, type ConformanceOptions } from './conformance.js';
export { opTable, opNames, rowOf, findSkip, caseTolerance, conformanceTests, type OpName, type Rows, type OpRow, type Skip, type Kwargs, type ConformanceTest, type ErrorInput } from './op-table.js';
export { allclose, expectAllclose, defaultTolerances, tolFor, exact, type Tol, type Tolerances, type CloseResult, type Expected } from './allclose.js';
export { loadOpFixtures, fixtureTensor, decodeNumber, type OpCase, type FixtureTensor } from './fixtures.js';
export { primitiveChecks, type PrimitiveCheck, type PrimitivePath } from './primitives.js';
export { createMinimalBackend, type MinimalBuffer } from './minimal-backend.js';
export { tidyTrainingLoop, type MemoryLoopOptions } from './memory-loop.js';
