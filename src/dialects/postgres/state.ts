import type { StateSql } from '../dialect.js';
import { quoteIdentifier as quote } from './render-literal.js';

/** ambix's own tables on PostgreSQL (and PGlite): `text[]` heads, `timestamptz`, `to_regclass`. */
export const postgresState: StateSql = Object.freeze({
  tableExists: (schema: string | undefined, table: string) => ({
    sql: 'SELECT 1 AS present WHERE to_regclass($1) IS NOT NULL',
    params: [schema === undefined ? quote(table) : `${quote(schema)}.${quote(table)}`],
  }),
  types: Object.freeze({
    id: Object.freeze({ type: 'bigint', identity: 'always' as const }),
    heads: 'text[]',
    timestamp: 'timestamptz',
  }),
  defaults: Object.freeze({ now: 'now()', user: 'current_user' }),
  heads: (heads: readonly string[]) => ({ value: [...heads], cast: '::text[]' }),
  timestamp: (time: Date) => ({ value: time.toISOString(), cast: '::timestamptz' }),
  integerCast: '::integer',
  clock: 'clock_timestamp()',
});
