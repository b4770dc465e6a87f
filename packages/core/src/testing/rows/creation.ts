/** Op-table rows: creation and random sampling (error rows; sampling is checked statistically in core's tests). */
import type { OpRow } from '../op-row.js';

export const creationRows: { [op: string]: OpRow } = {
};
