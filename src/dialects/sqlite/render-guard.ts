import type { Sql } from '../dialect.js';
import { statement } from './render-clauses.js';
import { quoteIdentifier } from './render-literal.js';

/**
 * Statements that stop the run (online) or the script (offline, `sqlite3 -bail`) when `select` (a SELECT of one
 * column) returns a row: the rows go into a temporary table whose CHECK refuses any, and SQLite's error names the
 * CHECK, whose name is `message`. Plain SQL has no other way to raise an error on SQLite outside a trigger.
 */
export function failIfAnyRow(message: string, select: string): Sql[] {
  const guard = quoteIdentifier('_ambix_guard');
  return [
    statement(
      `CREATE TEMP TABLE ${guard} ("row" CONSTRAINT ${quoteIdentifier(message)} CHECK ("row" IS NULL))`,
    ),
    statement(`INSERT INTO temp.${guard} ${select}`),
    statement(`DROP TABLE temp.${guard}`),
  ];
}
