import type { StateSql } from '../dialect.js';
import { toMysqlValue } from './driver.js';

/**
 * ambix's own tables on MySQL and MariaDB: heads as JSON text, times as UTC `DATETIME(3)`, the key an
 * AUTO_INCREMENT `bigint`, the user from `CURRENT_USER()` (a column default cannot call it).
 */
export const mysqlState: StateSql = Object.freeze({
  tableExists: (schema: string | undefined, table: string) => ({
    sql: 'SELECT 1 AS present FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
    params: [schema ?? null, table],
  }),
  types: Object.freeze({
    id: Object.freeze({ type: 'bigint', identity: 'always' as const }),
    heads: 'text',
    timestamp: 'datetime(3)',
  }),
  defaults: Object.freeze({ now: 'CURRENT_TIMESTAMP(3)' }),
  heads: (heads: readonly string[]) => ({ value: JSON.stringify(heads), cast: '' }),
  timestamp: (time: Date) => ({ value: toMysqlValue(time), cast: '' }),
  integerCast: '',
  clock: 'UTC_TIMESTAMP(3)',
  user: 'CURRENT_USER()',
});
