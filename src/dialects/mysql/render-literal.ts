import { AmbixError } from '../../errors.js';
import { isSqlExpression, type SqlExpression } from '../../operations/sql-expression.js';
import { bytesHex, expressionText, isoTimestamp, jsonText, parameterSafe } from '../literal-values.js';

/** `` `users` ``, `` `a``b` ``: always quoted, so any name (a keyword, a space, a backtick) is just a name. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('An identifier must be a non-empty string');
  if (name.includes('\0')) {
    throw new AmbixError('FAILED', `The identifier ${JSON.stringify(name)} contains a NUL character`, {
      hint: 'MySQL names cannot hold NUL characters: rename the object.',
    });
  }
  return `\`${name.replaceAll('`', '``')}\``;
}

/** `` `database`.`name` ``: a MySQL schema is a database. Without one, the connection's database. */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * `'it''s'`, `'a\\b'`. MySQL reads backslash escapes in strings unless the session's sql_mode holds
 * NO_BACKSLASH_ESCAPES (it does not by default), so a backslash is doubled, and NUL, which a statement's text
 * should not carry raw, is written `\0`.
 */
export function stringLiteral(text: string): string {
  const escaped = text.replaceAll('\\', '\\\\').replaceAll("'", "''").replaceAll('\0', '\\0');
  return `'${escaped}'`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) {
    throw new AmbixError('FAILED', `MySQL has no ${String(value)}: numbers must be finite`, {
      hint: 'Store NULL, or a sentinel value the application understands, instead.',
    });
  }
  // -0 is written 0, as the driver sends it.
  return String(value);
}

/** `YYYY-MM-DD HH:MM:SS.fff` in UTC: what DATETIME(3) stores, and what the driver binds for a Date. */
export function timestampText(value: Date): string {
  return isoTimestamp(value).replace('T', ' ').replace('Z', '');
}

/**
 * A JavaScript value as a MySQL literal that means what the driver's bound parameter of the same value means:
 * `NULL`, `TRUE`, `42`, `'it''s'`, a UTC `'YYYY-MM-DD HH:MM:SS.fff'` for a Date, `X'00ff'` for bytes, and JSON
 * text for arrays and objects (MySQL has no array type; a JSON column takes the text).
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
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
  if (value instanceof Date) return stringLiteral(timestampText(value));
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
 * A `sql` expression as SQL text: its identifiers quoted with backticks and each of its values given to `bind`
 * (which returns a literal for DDL, or a `?` placeholder for data statements).
 */
export function renderExpression(
  expression: SqlExpression,
  bind: (value: unknown) => string = inlineLiteral,
): string {
  return expressionText(expression, quoteIdentifier, bind);
}
