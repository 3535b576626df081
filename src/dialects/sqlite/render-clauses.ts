/** Pieces of SQLite DDL shared by operations (`op.createTable`) and table models (the move-and-copy rebuild). */

import type { AmbixError } from '../../errors.js';
import type { ColumnDefault, Deferrable, ReferentialAction } from '../../operations/definitions.js';
import { isSqlExpression } from '../../operations/sql-expression.js';
import type { Sql } from '../dialect.js';
import { sqliteCannot } from './render-errors.js';
import { literal, MAIN_SCHEMA, quoteIdentifier, renderExpression } from './render-literal.js';
import { tokenize } from './render-scan.js';

export const statement = (sql: string): Sql => ({ sql });

export function columnList(names: readonly string[]): string {
  return `(${names.map(quoteIdentifier).join(', ')})`;
}

const NUMBER = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)$/;
const STRING = /^'(?:[^']|'')*'$/s;
const BLOB = /^[xX]'[0-9a-fA-F]*'$/;
const CONSTANT = /^(?:NULL|TRUE|FALSE)$/i;
const CURRENT = /^CURRENT_(?:TIME|DATE|TIMESTAMP)$/i;

/** A literal SQLite takes after DEFAULT without parentheses (its `signed-number` and `literal-value`). */
export function isPlainLiteral(text: string): boolean {
  const trimmed = text.trim();
  return [NUMBER, STRING, BLOB, CONSTANT, CURRENT].some((pattern) => pattern.test(trimmed));
}

/** A default ALTER TABLE ADD COLUMN accepts: a literal that is the same for every existing row. */
export function isConstantDefault(text: string): boolean {
  return isPlainLiteral(text) && !CURRENT.test(text.trim());
}

/** Whether the whole of `text` is one parenthesized expression: `(a + b)`, but not `(a) + (b)`. */
function isParenthesized(text: string): boolean {
  const tokens = tokenize(text.trim()).filter((token) => token.kind !== 'space' && token.kind !== 'comment');
  const body = text.trim();
  let depth = 0;
  for (const [index, token] of tokens.entries()) {
    const char = token.kind === 'other' ? body[token.start] : '';
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    if (depth === 0) return index === tokens.length - 1 && char === ')' && body.startsWith('(');
  }
  return false;
}

/** A default's SQL as DEFAULT takes it: SQLite wants anything but a plain literal in parentheses. */
export function defaultClauseText(text: string): string {
  return isPlainLiteral(text) || isParenthesized(text) ? text.trim() : `(${text.trim()})`;
}

/** A default value or `sql` expression as SQL text (what a table model holds). */
export function defaultText(value: ColumnDefault): string {
  return isSqlExpression(value) ? renderExpression(value) : literal(value);
}

export function referentialClauses(
  actions: { readonly onDelete?: ReferentialAction; readonly onUpdate?: ReferentialAction },
  omitNoAction: boolean,
): string {
  let text = '';
  for (const [clause, action] of [
    ['ON DELETE', actions.onDelete],
    ['ON UPDATE', actions.onUpdate],
  ] as const) {
    if (action !== undefined && !(omitNoAction && action === 'no action'))
      text += ` ${clause} ${action.toUpperCase()}`;
  }
  return text;
}

/** SQLite defers foreign keys only; `DEFERRABLE` alone is `INITIALLY IMMEDIATE`, as in the standard. */
export function deferrableClause(deferrable: Deferrable, omitNotDeferrable: boolean): string {
  if (deferrable.initiallyDeferred === true) return ' DEFERRABLE INITIALLY DEFERRED';
  if (deferrable.deferrable === true) return ' DEFERRABLE';
  if (deferrable.deferrable === false && !omitNotDeferrable) return ' NOT DEFERRABLE';
  return '';
}

/** SQLite reads `MATCH` and ignores it: every foreign key is MATCH SIMPLE, so any other would be a silent lie. */
export function checkMatch(where: string, match: string | undefined): void {
  if (match !== undefined && match !== 'simple') {
    throw sqliteCannot(
      where,
      `SQLite handles every foreign key as MATCH SIMPLE and has no MATCH ${match.toUpperCase()}: leave match out`,
    );
  }
}

/**
 * SQLite's REFERENCES names a table of the same database, never a schema-qualified one: a reference to the
 * table's own schema is written without it; another schema is an error.
 */
export function checkReferenceSchema(
  where: string,
  referenceSchema: string | undefined,
  tableSchema: string | undefined,
): void {
  if (referenceSchema === undefined || referenceSchema === (tableSchema ?? MAIN_SCHEMA)) return;
  throw sqliteCannot(
    where,
    `SQLite foreign keys reference tables of the same database, not of schema ${JSON.stringify(referenceSchema)}: leave references.schema out`,
  );
}

const SERIAL = /^(?:small|big)?serial[248]?$/i;

/** The types PostgreSQL users write for an auto-numbered column, which SQLite spells INTEGER PRIMARY KEY. */
export function isSerialType(type: string): boolean {
  return SERIAL.test(type.trim());
}

/**
 * The declared type of SQLite's rowid alias: it must be exactly INTEGER. Any integer type (SQLite's rule: the
 * name contains INT) becomes INTEGER; anything else cannot number rows.
 */
export function rowidType(where: string, column: string, type: string): string {
  if (/int/i.test(type) || isSerialType(type)) return 'INTEGER';
  throw sqliteCannot(
    where,
    `column ${JSON.stringify(column)} is numbered automatically but has type ${type}: SQLite numbers rows only in an INTEGER PRIMARY KEY column; give it an integer type`,
  );
}

/** The only types a STRICT table's columns may have (https://www.sqlite.org/stricttables.html), in any case. */
const STRICT_TYPES: ReadonlySet<string> = new Set(['INT', 'INTEGER', 'REAL', 'TEXT', 'BLOB', 'ANY']);

/**
 * SQLite's own type for a declared one, for a message: by SQLite's affinity rules
 * (https://www.sqlite.org/datatype3.html), and for bytes, booleans and dates as SQLite stores them.
 */
function strictTypeFor(type: string): string {
  const upper = type.toUpperCase();
  if (upper.includes('INT') || upper.includes('BOOL')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT|DATE|TIME|UUID|JSON/.test(upper)) return 'TEXT';
  if (/BLOB|BYTEA|BINARY/.test(upper) || upper.trim() === '') return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(upper)) return 'REAL';
  // NUMERIC affinity (numeric, decimal…) has no STRICT type of its own.
  return 'INTEGER, REAL or TEXT, as the values are, or ANY';
}

/**
 * A STRICT table takes only SQLite's own types, without a length: refused here, with the type to write, rather
 * than by SQLite ("unknown datatype"). ambix does not translate other spellings (`varchar(255)` to TEXT): the
 * type written is the type the table reports, so that the schema module and the database agree.
 */
export function checkStrictType(where: string, column: string, type: string): void {
  if (STRICT_TYPES.has(type.trim().toUpperCase())) return;
  throw sqliteCannot(
    where,
    `a STRICT table's columns must have one of SQLite's own types (INT, INTEGER, REAL, TEXT, BLOB, ANY), and column ${JSON.stringify(column)} has ${type.trim() === '' ? 'none' : `type ${type}`}`,
    `Give the column the type ${strictTypeFor(type)}, or leave strict out (SQLite then keeps any declared type and reads only its affinity).`,
  );
}

/** The table options after `CREATE TABLE …(…)`: `STRICT`, `WITHOUT ROWID`, both, or none. */
export function tableOptionsClause(table: {
  readonly strict?: boolean;
  readonly withoutRowid?: boolean;
}): string {
  const options = [
    ...(table.strict === true ? ['STRICT'] : []),
    ...(table.withoutRowid === true ? ['WITHOUT ROWID'] : []),
  ];
  return options.length === 0 ? '' : ` ${options.join(', ')}`;
}

/** A WITHOUT ROWID table is stored in its primary key's order: it must have one. */
export function withoutRowidNeedsKey(where: string, table: string): AmbixError {
  return sqliteCannot(
    where,
    `a WITHOUT ROWID table needs a PRIMARY KEY, and table ${JSON.stringify(table)} has none`,
    'Give the table a primary key (primaryKey: true on a column, or a primaryKey constraint), or leave withoutRowid out.',
  );
}

/** An identity or serial column is numbered by the rowid, which a WITHOUT ROWID table does not have. */
export function noRowidToNumber(where: string, column: string, what: string): AmbixError {
  return sqliteCannot(
    where,
    `column ${JSON.stringify(column)} is ${what}, which SQLite numbers with the rowid (INTEGER PRIMARY KEY [AUTOINCREMENT]), and a WITHOUT ROWID table has none`,
    'Give the column a plain integer type and the rows their numbers, or leave withoutRowid out.',
  );
}

/** The message for an auto-numbered column that is not the table's only primary key column. */
export function notRowid(where: string, column: string, what: string): AmbixError {
  return sqliteCannot(
    where,
    `column ${JSON.stringify(column)} is ${what}, which SQLite supports only as the table's INTEGER PRIMARY KEY: make it the table's only primary key column (primaryKey: true), or make it a plain integer column`,
  );
}

/**
 * SQLite's CREATE INDEX takes no NULLS FIRST/LAST ("unsupported use of NULLS FIRST"); its indexes sort NULL
 * first ascending and last descending. An element asking for that order is written without the clause; the
 * other order is an error.
 */
export function checkNullsOrder(
  where: string,
  element: string,
  order: 'asc' | 'desc' | undefined,
  nulls: 'first' | 'last' | undefined,
): void {
  if (nulls === undefined) return;
  const natural = order === 'desc' ? 'last' : 'first';
  if (nulls !== natural) {
    throw sqliteCannot(
      where,
      `SQLite indexes sort NULL ${natural} when ${order === 'desc' ? 'descending' : 'ascending'} and cannot be told otherwise: ${element} cannot have NULLS ${nulls.toUpperCase()}; leave nulls out`,
    );
  }
}
