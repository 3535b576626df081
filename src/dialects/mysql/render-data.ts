/** SQL for data operations: execute and bulkInsert. */
import type { OperationOf } from '../../operations/operation.js';
import { executeStatement, valuesStatements } from '../bulk-insert.js';
import type { Sql } from '../dialect.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';

/** A prepared statement's limit on MySQL and MariaDB (its parameter count is 16 bits in the protocol). */
export const MAX_PARAMETERS = 65535;

/** As written: on MySQL a statement with parameters marks them `?`. */
export const execute = executeStatement;

/**
 * `INSERT INTO … (…) VALUES (…), (…)` with every value bound as `?`, in as few statements as the parameter limit
 * allows. A missing (or undefined) value is `DEFAULT`; a `sql` expression is written inline, its own values bound.
 * Rows without columns are `INSERT INTO … () VALUES (), ()`.
 */
export function bulkInsert(op: OperationOf<'bulkInsert'>, maxParameters = MAX_PARAMETERS): Sql[] {
  const target = qualifiedName(op.schema, op.table);
  if (op.rows.length === 0) return [];
  if (op.columns.length === 0)
    return [{ sql: `INSERT INTO ${target} () VALUES ${op.rows.map(() => '()').join(', ')}` }];
  return valuesStatements(
    { database: 'MySQL', maxParameters, placeholder: () => '?', quoteIdentifier, renderExpression },
    target,
    op.columns,
    op.rows,
  );
}
