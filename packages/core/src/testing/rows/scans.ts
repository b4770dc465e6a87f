/** Op-table rows: reductions and scans (tools/gen_ops_scans.py). */
import type { OpRow } from '../op-row.js';

export const scanRows: { [op: string]: OpRow } = {
};
