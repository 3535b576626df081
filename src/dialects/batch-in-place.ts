import { AmbixError } from '../errors.js';
import type { BatchTableOperation } from '../operations/batch-operations.js';
import type { OperationOf } from '../operations/operation.js';
import type { Sql } from './dialect.js';

/**
 * `op.batchAlterTable()` on a database that alters tables in place (PostgreSQL, MySQL): the changes one after
 * another, each as the operation alone renders. `recreate: 'always'` asks for SQLite's table copy, which ambix
 * makes only there, and is refused rather than ignored.
 */
export function renderBatchInPlace(
  batch: OperationOf<'batchAlterTable'>,
  database: string,
  render: (operation: BatchTableOperation, index: number) => Sql[],
): Sql[] {
  if (batch.recreate === 'always') {
    throw new AmbixError(
      'FAILED',
      `op.batchAlterTable(): recreate: 'always' asks for a copy of table ${JSON.stringify(batch.table)} ("move and copy"), which ambix makes only on SQLite; ${database} alters the table in place`,
      {
        hint: "Leave recreate out ('auto'): the batch then alters the table in place here, and copies it on SQLite only where SQLite needs it.",
        details: { operation: batch.kind },
      },
    );
  }
  return batch.operations.flatMap(render);
}
