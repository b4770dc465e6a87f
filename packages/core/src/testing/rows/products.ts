/** Op-table rows: distances, products and pooling (tools/gen_ops_products.py). */
import type { OpRow } from '../op-row.js';

export const productRows: { [op: string]: OpRow } = {
};
