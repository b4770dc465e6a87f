// The minimal backend (the required tier only) passes the whole suite: core composes the rest.
import { createReferenceBackend, registerBackend } from '@graft/core';
import { createMinimalBackend, runConformance } from '@graft/core/testing';

registerBackend('minimal', createMinimalBackend);
registerBackend('minimal-peer', createReferenceBackend); // stands in for 'cpu', which core's tests cannot import
runConformance('minimal', { peer: 'minimal-peer' });
