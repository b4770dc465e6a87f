/**
 * graft against PyTorch 1.13 on every registered backend (@graft/optim/testing: runOptimSuite):
 * every fixture case, 50 steps, in float64 and in float32 with each step inside `tidy`, and the
 * float32 convergence of the procedures the fixtures do not cover.
 */
import '@graft/backend-cpu';
import { describe } from 'vitest';
import { listBackends } from '@graft/core';
import { runOptimSuite } from '../src/testing/index.js';

describe.each(listBackends())('%s', (backend) => runOptimSuite(backend));
