/** Op-table rows: linear algebra, the linalg namespace (tools/gen_ops_linalg.py). */
import type { OpRow } from '../op-row.js';

export const linalgRows: { [op: string]: OpRow } = {
};
