/**
 * @graft/optim/testing: the optimizer suite (PyTorch trajectories, convergence) for any registered
 * backend (`describe.each(listBackends())('%s', (b) => runOptimSuite(b))`), and its pieces. A
 * separate entry so that the main entry never imports vitest.
 */
export { runOptimSuite, type OptimSuiteOptions } from './suite.js';
export { expectClose, expectFloat32Final, fixtureFamilies, flat, initialParams, loadFixtures, maxAbsDiff, problemLoss, runCase, type FixtureCase, type FixtureFile, type RunOptions } from './fixtures.js';
export { STEPS, emaRun, procedures, type Toy } from './procedures.js';
export { toyRegression } from './toy.js';
