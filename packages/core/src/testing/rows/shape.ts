/** Op-table rows: shape and indexing (tools/gen_ops_shape.py). */
import type { OpRow } from '../op-row.js';

export const shapeRows: { [op: string]: OpRow } = {
};
