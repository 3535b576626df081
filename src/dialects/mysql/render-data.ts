/** SQL for data operations: execute and bulkInsert. */
import { AmbixError } from '../../errors.js';
import type { OperationOf } from '../../operations/operation.js';
import { isSqlExpression } from '../../operations/sql-expression.js';
import type { Sql } from '../dialect.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';

/** A prepared statement's limit on MySQL and MariaDB (its parameter count is 16 bits in the protocol). */
export const MAX_PARAMETERS = 65535;

/** As written: on MySQL a statement with parameters marks them `?`. */
export function execute(op: OperationOf<'execute'>): Sql[] {
  return [op.params === undefined ? { sql: op.sql } : { sql: op.sql, params: op.params }];
}

function parameterCount(row: Readonly<Record<string, unknown>>, columns: readonly string[]): number {
  let count = 0;
  for (const column of columns) {
    const value = row[column];
    if (value === undefined) continue;
    count += isSqlExpression(value)
      ? value.fragments.filter((fragment) => fragment.kind === 'value').length
      : 1;
  }
  return count;
}

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
  const head = `INSERT INTO ${target} (${op.columns.map(quoteIdentifier).join(', ')}) VALUES\n  `;
  const statements: Sql[] = [];
  let tuples: string[] = [];
  let params: unknown[] = [];
  const flush = () => {
    if (tuples.length === 0) return;
    statements.push({ sql: head + tuples.join(',\n  '), params });
    tuples = [];
    params = [];
  };
  const bind = (value: unknown): string => {
    params.push(value);
    return '?';
  };
  op.rows.forEach((row, index) => {
    const needed = parameterCount(row, op.columns);
    if (needed > maxParameters) {
      throw new AmbixError(
        'FAILED',
        `bulkInsert row ${index} needs ${needed} parameters, more than MySQL's ${maxParameters}`,
      );
    }
    if (params.length + needed > maxParameters) flush();
    const values = op.columns.map((column) => {
      const value = row[column];
      if (value === undefined) return 'DEFAULT';
      return isSqlExpression(value) ? renderExpression(value, bind) : bind(value);
    });
    tuples.push(`(${values.join(', ')})`);
  });
  flush();
  return statements;
}
