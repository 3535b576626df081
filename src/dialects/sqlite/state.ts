import type { StateSql } from '../dialect.js';
import { quoteIdentifier as quote } from './render-literal.js';

/**
 * ambix's own tables on SQLite: heads as JSON text, times as ISO 8601 text in UTC (what SQLite's date functions
 * read), the key an INTEGER PRIMARY KEY (the rowid). SQLite has no users.
 */
export const sqliteState: StateSql = Object.freeze({
  tableExists: (schema: string | undefined, table: string) => ({
    sql: `SELECT 1 AS present FROM ${schema === undefined ? '' : `${quote(schema)}.`}sqlite_schema WHERE type = 'table' AND name = ?`,
    params: [table],
  }),
  types: Object.freeze({ id: Object.freeze({ type: 'integer' }), heads: 'text', timestamp: 'text' }),
  defaults: Object.freeze({ now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" }),
  heads: (heads: readonly string[]) => ({ value: JSON.stringify(heads), cast: '' }),
  timestamp: (time: Date) => ({ value: time.toISOString(), cast: '' }),
  integerCast: '',
  clock: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
});
