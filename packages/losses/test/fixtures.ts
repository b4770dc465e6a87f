/** The PyTorch-generated fixtures of test/fixtures/*.json, loaded by @graft/losses/testing. */
export { decode, decodeOptions, decodeValues, loadFixtures, type EncodedTensor, type FixtureCase } from '../src/testing/fixtures.js';
