/** The cpu backend for the losses tests, and the shared helpers of @graft/losses/testing. */
import '@graft/backend-cpu';

export { badInputCases, callEntry, spyBackend, type BadInputCase } from '../src/testing/helpers.js';
