/** Op-table rows: elementwise math and activations (tools/gen_ops_elementwise.py). */
import type { OpRow } from '../op-row.js';

export const elementwiseRows: { [op: string]: OpRow } = {
};
