import { AmbixError } from '../errors.js';
import type { SqlExpression } from '../operations/sql-expression.js';

/** What every dialect's literals share: a Date's ISO text, bytes as hex, objects as JSON text. */

/** A valid Date's ISO 8601 text (UTC); an invalid Date is refused. */
export function isoTimestamp(value: Date): string {
  if (Number.isNaN(value.getTime()))
    throw new AmbixError('FAILED', 'An invalid Date cannot be written as a timestamp');
  return value.toISOString();
}

/** Bytes as lowercase hex digits. */
export function bytesHex(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

/** A value as JSON text, bigints as their digits. */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  if (text === undefined) throw new TypeError(`${typeof value} values cannot be written as SQL literals`);
  return text;
}

/**
 * A `sql` expression as SQL text: its identifiers quoted with `quoteIdentifier` and each of its values given to
 * `bind` (a literal for DDL, or the dialect's placeholder for data statements).
 */
export function expressionText(
  expression: SqlExpression,
  quoteIdentifier: (name: string) => string,
  bind: (value: unknown) => string,
): string {
  let text = expression.strings[0] ?? '';
  expression.fragments.forEach((fragment, index) => {
    text +=
      fragment.kind === 'identifier' ? fragment.names.map(quoteIdentifier).join('.') : bind(fragment.value);
    text += expression.strings[index + 1] ?? '';
  });
  return text;
}

/** A literal that can stand wherever a parameter stands: a negative number parenthesized (`x-(-1)`). */
export function parameterSafe(literal: string): string {
  return literal.startsWith('-') ? `(${literal})` : literal;
}
