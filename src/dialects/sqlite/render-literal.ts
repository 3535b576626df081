/** SQLite names and literals, and `sql` expressions written with them. */
import { AmbixError } from '../../errors.js';
import { isSqlExpression, type SqlExpression } from '../../operations/sql-expression.js';
import { bytesHex, expressionText, isoTimestamp, jsonText, parameterSafe } from '../literal-values.js';

/** The database a name without a schema lives in; the renderer leaves it out of the SQL it writes. */
export const MAIN_SCHEMA = 'main';

/** `"users"`, `"a""b"`: always quoted, so any name (a keyword, mixed case, a quote) is just a name. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('An identifier must be a non-empty string');
  // SQLite reads statements as C strings: a NUL would silently end the statement there.
  if (name.includes('\0')) {
    throw new AmbixError('FAILED', `The identifier ${JSON.stringify(name)} contains a NUL character`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `"schema"."name"`, or `"name"` without a schema. A SQLite schema is an attached database (`main`, `temp`, or a
 * name given to ATTACH DATABASE).
 */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/** `'it''s'`: SQLite strings know no backslash escapes, only the doubled quote. */
export function stringLiteral(text: string): string {
  if (text.includes('\0')) {
    throw new AmbixError(
      'FAILED',
      'A string value contains a NUL character, which a SQLite literal cannot hold',
      {
        hint: 'Pass such data as bytes (a Buffer or Uint8Array), which SQLite stores as a blob.',
      },
    );
  }
  return `'${text.replaceAll("'", "''")}'`;
}

function numberLiteral(value: number): string {
  // SQLite stores a NaN it is given as NULL (better-sqlite3 binds it so), and reads 1e999 as infinity.
  if (Number.isNaN(value)) return 'NULL';
  if (value === Number.POSITIVE_INFINITY) return '1e999';
  if (value === Number.NEGATIVE_INFINITY) return '-1e999';
  return String(value);
}

/**
 * A JavaScript value as a SQLite literal, as the SQLite driver binds the same value: `NULL`, `1`/`0` for
 * booleans, numbers and bigints as they are, `'it''s'`, ISO 8601 text for a Date, `X'00ff'` for bytes, and JSON
 * text for arrays and other objects.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? '1' : '0';
    case 'number':
      return numberLiteral(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return stringLiteral(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${typeof value} values cannot be written as SQL literals`);
  }
  if (value instanceof Date) return stringLiteral(isoTimestamp(value));
  if (value instanceof Uint8Array) return `X'${bytesHex(value)}'`;
  if (isSqlExpression(value)) {
    throw new TypeError('A sql`…` expression is not a value: interpolate it into the statement instead');
  }
  return stringLiteral(jsonText(value));
}

/** A literal that can stand wherever a `?` parameter stands: negative numbers are parenthesized (`x-(-1)`). */
export function inlineLiteral(value: unknown): string {
  return parameterSafe(literal(value));
}

/**
 * A `sql` expression as SQL text: its identifiers quoted and each of its values given to `bind` (which returns a
 * literal for DDL, or a `?` placeholder for data statements).
 */
export function renderExpression(
  expression: SqlExpression,
  bind: (value: unknown) => string = inlineLiteral,
): string {
  return expressionText(expression, quoteIdentifier, bind);
}
