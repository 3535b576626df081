/** What every dialect's bulkInsert shares: rows bound into `INSERT … VALUES (…), (…)` under a parameter limit. */
import { AmbixError } from '../errors.js';
import type { OperationOf } from '../operations/operation.js';
import { isSqlExpression, type SqlExpression } from '../operations/sql-expression.js';
import type { Sql } from './dialect.js';

export interface ValuesDialect {
  /** The database, for the message of a row that needs more parameters than a statement takes. */
  readonly database: string;
  readonly maxParameters: number;
  /** The placeholder of the `index`-th (1-based) parameter of the statement. */
  placeholder(index: number): string;
  quoteIdentifier(name: string): string;
  renderExpression(expression: SqlExpression, bind: (value: unknown) => string): string;
}

/** The parameters a row binds: one per value, a `sql` expression's own values. */
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
 * `INSERT INTO target (columns) VALUES (…), (…)` with every value bound, in as few statements as the parameter
 * limit allows. A missing (or undefined) value is `DEFAULT`; a `sql` expression is written inline, its own values
 * bound. `firstRow` numbers the rows in messages.
 */
export function valuesStatements(
  dialect: ValuesDialect,
  target: string,
  columns: readonly string[],
  rows: readonly Readonly<Record<string, unknown>>[],
  firstRow = 0,
): Sql[] {
  const head = `INSERT INTO ${target} (${columns.map(dialect.quoteIdentifier).join(', ')}) VALUES\n  `;
  const statements: Sql[] = [];
  let tuples: string[] = [];
  let params: unknown[] = [];
  const flush = () => {
    if (tuples.length > 0) statements.push({ sql: head + tuples.join(',\n  '), params });
    tuples = [];
    params = [];
  };
  const bind = (value: unknown): string => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  rows.forEach((row, index) => {
    const needed = parameterCount(row, columns);
    if (needed > dialect.maxParameters) {
      throw new AmbixError(
        'FAILED',
        `bulkInsert row ${firstRow + index} needs ${needed} parameters, more than ${dialect.database}'s ${dialect.maxParameters}`,
      );
    }
    if (params.length + needed > dialect.maxParameters) flush();
    const values = columns.map((column) => {
      const value = row[column];
      if (value === undefined) return 'DEFAULT';
      return isSqlExpression(value) ? dialect.renderExpression(value, bind) : bind(value);
    });
    tuples.push(`(${values.join(', ')})`);
  });
  flush();
  return statements;
}

/** `op.execute` as written, its parameters bound as given. */
export function executeStatement(op: OperationOf<'execute'>): Sql[] {
  return [op.params === undefined ? { sql: op.sql } : { sql: op.sql, params: op.params }];
}
