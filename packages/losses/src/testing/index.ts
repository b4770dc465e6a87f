/**
 * @graft/losses/testing: the generic loss bench and the PyTorch fixture suite, for any registered
 * backend (`describe.each(listBackends())('%s', (b) => runLossBench(b))`). A separate entry so that
 * the main entry never imports vitest.
 */
export { runLossBench, type BenchOptions } from './bench.js';
export { runLossFixtures, loadFixtures, decode, decodeOptions, decodeValues, type EncodedTensor, type FixtureCase, type FixtureException, type FixtureSuiteOptions } from './fixtures.js';
export { badInputCases, callEntry, spyBackend, type BadInputCase, type Spy } from './helpers.js';
export { edgeValues, optionEdges, usesSymbol, OPEN_BOUND_STEP, type OptionEdge } from './edges.js';
