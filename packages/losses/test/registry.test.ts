/**
 * The generic loss bench (@graft/losses/testing: runLossBench) over every registered backend:
 * every registry entry in float64 and float32, at C = 1, at a batch of 1, with each option at the
 * edges of its declared range, at extreme inputs, with gradcheck, reductions and bad inputs.
 */
import '@graft/backend-cpu';
import { describe } from 'vitest';
import { listBackends } from '@graft/core';
import { runLossBench } from '../src/testing/index.js';

describe.each(listBackends())('%s', (backend) => runLossBench(backend));
