import { AmbixError } from '../../errors.js';
import { isSqlExpression, type SqlExpression } from '../../operations/sql-expression.js';
import { bytesHex, expressionText, isoTimestamp, jsonText, parameterSafe } from '../literal-values.js';

function unrenderable(message: string): AmbixError {
  return new AmbixError('FAILED', message, {
    hint: 'PostgreSQL text cannot hold NUL characters; pass such data as bytes (a Buffer or Uint8Array).',
  });
}

/** `"users"`, `"a""b"`: always quoted, so any name (a keyword, mixed case, a quote) is just a name. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('An identifier must be a non-empty string');
  if (name.includes('\0'))
    throw unrenderable(`The identifier ${JSON.stringify(name)} contains a NUL character`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`, or `"name"` without a schema. */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * A string literal that means the same whatever `standard_conforming_strings` says: `'it''s'`, and `E'a\\b'` when
 * the text holds a backslash.
 */
export function stringLiteral(text: string): string {
  if (text.includes('\0'))
    throw unrenderable('A string value contains a NUL character, which PostgreSQL text cannot hold');
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return "'NaN'";
  if (value === Number.POSITIVE_INFINITY) return "'Infinity'";
  if (value === Number.NEGATIVE_INFINITY) return "'-Infinity'";
  // -0 is written 0, as the drivers send it.
  return String(value);
}

/** The text of one array element in PostgreSQL's array syntax (`{…}`), the way node-postgres writes arrays. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return arrayText(value);
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint')
    return typeof value === 'number' ? numberText(value) : String(value);
  else if (typeof value === 'boolean') return value ? 'true' : 'false';
  else if (value instanceof Date) text = isoTimestamp(value);
  else if (value instanceof Uint8Array) text = `\\x${bytesHex(value)}`;
  else text = jsonText(value);
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function numberText(value: number): string {
  return Number.isFinite(value)
    ? String(value)
    : Number.isNaN(value)
      ? 'NaN'
      : value > 0
        ? 'Infinity'
        : '-Infinity';
}

function arrayText(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(',')}}`;
}

/**
 * A JavaScript value as a PostgreSQL literal that, where a `$n` parameter of the same value could stand, means
 * the same: `NULL`, `TRUE`, `42`, `'it''s'`, `E'a\\b'`, an ISO timestamp for a Date, `'{1,2}'` for an array,
 * JSON text for an object and `decode('…', 'hex')` for bytes. Strings, arrays, JSON and timestamps are untyped
 * literals, which PostgreSQL types from where they stand, as it types a bound parameter.
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
  if (value instanceof Date) return stringLiteral(isoTimestamp(value));
  if (value instanceof Uint8Array) return `decode('${bytesHex(value)}', 'hex')`;
  if (Array.isArray(value)) return stringLiteral(arrayText(value));
  if (isSqlExpression(value)) {
    throw new TypeError('A sql`…` expression is not a value: interpolate it into the statement instead');
  }
  return stringLiteral(jsonText(value));
}

/** A literal that can stand wherever a `$n` parameter stands: negative numbers are parenthesized (`x-(-1)`). */
export function inlineLiteral(value: unknown): string {
  return parameterSafe(literal(value));
}

/**
 * A `sql` expression as SQL text: its identifiers quoted and each of its values given to `bind` (which returns a
 * literal for DDL, or a `$n` placeholder for data statements).
 */
export function renderExpression(
  expression: SqlExpression,
  bind: (value: unknown) => string = inlineLiteral,
): string {
  return expressionText(expression, quoteIdentifier, bind);
}
