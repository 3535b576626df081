/**
 * Columns from information_schema.COLUMNS, with MySQL's and MariaDB's ways of printing defaults brought to one:
 * the default is the SQL text that would recreate it, as MariaDB prints it.
 */
import { compact } from '../../../operations/validate.js';
import type { ColumnModel } from '../../../schema/model.js';
import { quoteIdentifier } from '../render-literal.js';
import type { ColumnRow } from './queries.js';
import type { ServerFeatures } from './server.js';

/** Types whose raw defaults are written bare: numbers (and `b'101'` bits, which MySQL prints that way). */
const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
  'bit',
  'year',
  'bool',
  'boolean',
]);

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);

const TEMPORAL_TYPES = new Set(['timestamp', 'datetime', 'date', 'time']);

/** `CURRENT_TIMESTAMP`, `current_timestamp()`, `CURRENT_TIMESTAMP(3)`: the one expression defaults always allowed. */
const CURRENT_TIMESTAMP = /^current_timestamp(\(\d*\))?$/i;

/**
 * MySQL backslash-escapes quotes and backslashes in the expressions information_schema prints
 * (`concat(_utf8mb4\'a\')`); the SQL text is the expression without them.
 */
export function unescapeExpression(text: string): string {
  return text.replace(/\\(['\\])/g, '$1');
}

/**
 * A string literal as MariaDB prints one in COLUMN_DEFAULT: quotes doubled, backslashes and the control characters
 * a statement should not carry raw written as backslash escapes.
 */
export function printedStringLiteral(text: string): string {
  const escaped = text
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "''")
    .replaceAll('\0', '\\0')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\u001a', '\\Z');
  return `'${escaped}'`;
}

/** Whether `text` is one parenthesized expression: `(a + b)`, not `(a) + (b)`. Quoted text does not count. */
export function isParenthesized(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"' || char === '`') {
      quote = char;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
      if (depth === 0 && index < text.length - 1) return false;
    }
  }
  return depth === 0;
}

/**
 * The default's SQL: absent for none and for `NULL`, a quoted literal for strings (`'abc'`), bare numbers, the
 * expression's text for expressions (`current_timestamp()`, `uuid()`), in the server's own spelling.
 *
 * MariaDB (10.2.7 and later) prints it that way already, `NULL` included, and no default as SQL NULL. MySQL prints
 * the raw value, SQL NULL for both, and marks expressions with EXTRA `DEFAULT_GENERATED`: strings are quoted here
 * as MariaDB would, and expressions other than CURRENT_TIMESTAMP are parenthesized, as MySQL requires them in
 * `DEFAULT (…)`.
 */
export function columnDefault(
  row: Pick<ColumnRow, 'default' | 'dataType' | 'extra'>,
  features: ServerFeatures,
): string | undefined {
  const value = row.default;
  if (value === null) return undefined;
  if (features.quotedDefaults) return value === 'NULL' ? undefined : value;
  const dataType = row.dataType.toLowerCase();
  if (/\bDEFAULT_GENERATED\b/i.test(row.extra ?? '')) {
    if (CURRENT_TIMESTAMP.test(value)) return value;
    const expression = features.escapedExpressions ? unescapeExpression(value) : value;
    return isParenthesized(expression) ? expression : `(${expression})`;
  }
  if (NUMERIC_TYPES.has(dataType)) return value;
  if (BINARY_TYPES.has(dataType) && /^0x[0-9a-f]*$/i.test(value)) return value;
  // Before expression defaults (MySQL 5.7), CURRENT_TIMESTAMP was the one and carried no mark.
  if (TEMPORAL_TYPES.has(dataType) && CURRENT_TIMESTAMP.test(value)) return value;
  return printedStringLiteral(value);
}

/** STORED (PERSISTENT on older MariaDB) or VIRTUAL generated columns: EXTRA says which. */
const GENERATED = /\b(STORED|PERSISTENT|VIRTUAL) GENERATED\b/i;

/** A generated column's expression (its kind: {@link generatedKind}). */
export function generatedExpression(
  row: Pick<ColumnRow, 'generated' | 'extra'>,
  features: ServerFeatures,
): string | undefined {
  if (row.generated === null || row.generated === '' || !GENERATED.test(row.extra ?? '')) return undefined;
  return features.escapedExpressions ? unescapeExpression(row.generated) : row.generated;
}

/** `virtual` for a VIRTUAL generated column; a stored one (STORED, MariaDB's PERSISTENT) has no kind. */
export function generatedKind(row: Pick<ColumnRow, 'extra'>): 'virtual' | undefined {
  return GENERATED.exec(row.extra ?? '')?.[1]?.toUpperCase() === 'VIRTUAL' ? 'virtual' : undefined;
}

/**
 * The SQL after ON UPDATE, in the server's own spelling as defaults are, from EXTRA: `on update
 * current_timestamp()` (MariaDB) or `DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)` (MySQL).
 */
export function onUpdateExpression(row: Pick<ColumnRow, 'extra'>): string | undefined {
  return /\bon update\s+(current_timestamp(?:\(\d*\))?)/i.exec(row.extra ?? '')?.[1];
}

/**
 * MariaDB's JSON is LONGTEXT with a `CHECK (json_valid(col))` it adds itself, named after the column: that check
 * is the type, not a constraint of the schema's. (A column-level check the schema gives the column replaces it,
 * and such a column reads as `longtext`.)
 */
export function isJsonTypeCheck(
  check: { readonly name: string; readonly expression: string },
  column: Pick<ColumnRow, 'name' | 'dataType'> | undefined,
): boolean {
  return (
    column !== undefined &&
    column.dataType.toLowerCase() === 'longtext' &&
    check.name === column.name &&
    check.expression === `json_valid(${quoteIdentifier(column.name)})`
  );
}

export interface ColumnContext {
  readonly features: ServerFeatures;
  /** The table's default collation: a column's own is reported only when it differs. */
  readonly tableCollation: string | null;
  /** A MariaDB JSON column (see {@link isJsonTypeCheck}). */
  readonly json: boolean;
}

export function columnModel(row: ColumnRow, context: ColumnContext): ColumnModel {
  const identity = /\bauto_increment\b/i.test(row.extra ?? '');
  const generated = generatedExpression(row, context.features);
  const collation =
    context.json || row.collation === null || row.collation === context.tableCollation
      ? undefined
      : row.collation;
  return compact<ColumnModel>({
    name: row.name,
    type: context.json ? 'json' : row.type,
    nullable: row.nullable === 'YES',
    default: identity || generated !== undefined ? undefined : columnDefault(row, context.features),
    identity: identity ? { generated: 'byDefault' } : undefined,
    generated,
    generatedKind: generated === undefined ? undefined : generatedKind(row),
    onUpdate: onUpdateExpression(row),
    collation,
    comment: row.comment === null || row.comment === '' ? undefined : row.comment,
  });
}
