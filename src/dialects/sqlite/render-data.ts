/** SQL for data operations: execute and bulkInsert. */
import type { OperationOf } from '../../operations/operation.js';
import { executeStatement, valuesStatements } from '../bulk-insert.js';
import type { Sql } from '../dialect.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32 (better-sqlite3's build refuses a 32,767th). */
export const MAX_PARAMETERS = 32766;

/** The SQL as written, its parameters bound as given (SQLite's `?`, `?NNN`). */
export const execute = executeStatement;

/** Consecutive rows that give values for the same columns: one INSERT can hold them. */
function runsOfSameColumns(
  op: OperationOf<'bulkInsert'>,
): { readonly columns: readonly string[]; readonly rows: readonly Readonly<Record<string, unknown>>[] }[] {
  const runs: { columns: string[]; rows: Readonly<Record<string, unknown>>[] }[] = [];
  for (const row of op.rows) {
    const columns = op.columns.filter((column) => row[column] !== undefined);
    const last = runs.at(-1);
    if (last !== undefined && last.columns.join('\0') === columns.join('\0')) last.rows.push(row);
    else runs.push({ columns, rows: [row] });
  }
  return runs;
}

/**
 * `INSERT INTO … (…) VALUES (…), (…)` with every value bound as `?`. SQLite has no DEFAULT among VALUES, so a row
 * that leaves a column out goes in a statement without that column (consecutive rows with the same columns share
 * one), and a row with no values at all is `DEFAULT VALUES`. A `sql` expression is written inline, its own values
 * bound; statements stay under SQLite's parameter limit.
 */
export function bulkInsert(op: OperationOf<'bulkInsert'>, maxParameters = MAX_PARAMETERS): Sql[] {
  const target = qualifiedName(op.schema, op.table);
  const dialect = {
    database: 'SQLite',
    maxParameters,
    placeholder: () => '?',
    quoteIdentifier,
    renderExpression,
  };
  const statements: Sql[] = [];
  let index = 0;
  for (const run of runsOfSameColumns(op)) {
    if (run.columns.length === 0) {
      for (const _row of run.rows) statements.push({ sql: `INSERT INTO ${target} DEFAULT VALUES` });
    } else statements.push(...valuesStatements(dialect, target, run.columns, run.rows, index));
    index += run.rows.length;
  }
  return statements;
}
