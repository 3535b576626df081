/** SQL for data operations: execute and bulkInsert. */
import type { OperationOf } from '../../operations/operation.js';
import { executeStatement, valuesStatements } from '../bulk-insert.js';
import type { Sql } from '../dialect.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';

/** PostgreSQL's wire protocol counts a statement's parameters in 16 bits. */
export const MAX_PARAMETERS = 65535;

export const execute = executeStatement;

/**
 * `INSERT INTO … VALUES (…), (…)` with every value bound, in as few statements as the parameter limit allows.
 * A missing (or undefined) value is `DEFAULT`; a `sql` expression is written inline, its own values bound.
 */
export function bulkInsert(op: OperationOf<'bulkInsert'>, maxParameters = MAX_PARAMETERS): Sql[] {
  const target = qualifiedName(op.schema, op.table);
  if (op.columns.length === 0) return op.rows.map(() => ({ sql: `INSERT INTO ${target} DEFAULT VALUES` }));
  return valuesStatements(
    {
      database: 'PostgreSQL',
      maxParameters,
      placeholder: (index) => `$${index}`,
      quoteIdentifier,
      renderExpression,
    },
    target,
    op.columns,
    op.rows,
  );
}
