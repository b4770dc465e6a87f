/** The PyTorch trajectory fixtures and their run, from @graft/optim/testing. */
export { expectClose, expectFloat32Final, fixtureFamilies, flat, initialParams, loadFixtures, maxAbsDiff, problemLoss, runCase, type FixtureCase, type FixtureFile, type RunOptions } from '../src/testing/fixtures.js';
