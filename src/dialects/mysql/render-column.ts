/** Column definitions as MySQL writes them in CREATE TABLE, ADD COLUMN and MODIFY/CHANGE COLUMN. */

import type {
  ColumnDefault,
  ColumnDefinition,
  ForeignKeyConstraint,
  GeneratedKind,
  Identity,
} from '../../operations/definitions.js';
import { isSqlExpression } from '../../operations/sql-expression.js';
import type { Sql } from '../dialect.js';
import { literal, quoteIdentifier, renderExpression, stringLiteral } from './render-literal.js';
import { mysqlColumnType } from './render-types.js';
import { unsupported } from './render-unsupported.js';

export const statement = (sql: string): Sql => ({ sql });

export function columnList(names: readonly string[]): string {
  return `(${names.map(quoteIdentifier).join(', ')})`;
}

// The one non-literal default MySQL takes bare (and the only one it took before 8.0.13), alone or with ON UPDATE.
const NOW = String.raw`(?:current_timestamp|now|localtime|localtimestamp)(?:\s*\(\s*\d*\s*\))?`;
const BARE_DEFAULT = new RegExp(`^${NOW}(?:\\s+on\\s+update\\s+${NOW})?$`, 'i');

// Literals as MySQL and MariaDB print defaults: 'text' (maybe with a charset), numbers, X'…', b'…', 0x…, TRUE.
const LITERAL_SQL = [
  /^(?:_[a-z0-9]+\s*|n)?'(?:[^'\\]|''|\\[\s\S])*'$/i,
  /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i,
  /^(?:x'[0-9a-f]*'|b'[01]*'|0x[0-9a-f]+|0b[01]+)$/i,
  /^(?:true|false)$/i,
];

/**
 * A default's SQL as it goes after `DEFAULT`: literals and CURRENT_TIMESTAMP as they are, any other expression in
 * parentheses (MySQL 8.0.13+, MariaDB 10.2+ take expression defaults only so).
 */
export function defaultSql(text: string): string {
  const trimmed = text.trim();
  if (BARE_DEFAULT.test(trimmed) || LITERAL_SQL.some((pattern) => pattern.test(trimmed))) return trimmed;
  return `(${trimmed})`;
}

/** A default given as a value (a literal) or a `sql` expression. */
export function defaultValue(value: ColumnDefault): string {
  return isSqlExpression(value) ? defaultSql(renderExpression(value)) : literal(value);
}

/**
 * A reflected default (SQL text, as the schema model holds it) after `DEFAULT`, or undefined for none: MariaDB
 * reports a nullable column without a default as having the default `NULL`, which is no default at all.
 */
export function reflectedDefault(text: string | undefined): string | undefined {
  if (text === undefined || /^\s*null\s*$/i.test(text)) return undefined;
  return defaultSql(text);
}

/**
 * A generated column's clause: `STORED` unless the column says `virtual`. Written out either way, because the two
 * databases' defaults differ (MySQL's is VIRTUAL, PostgreSQL's only kind STORED).
 */
export function generatedClause(expression: string, kind: GeneratedKind | undefined): string {
  return `GENERATED ALWAYS AS (${expression}) ${kind === 'virtual' ? 'VIRTUAL' : 'STORED'}`;
}

const ON_UPDATE = new RegExp(`^${NOW}$`, 'i');

/** `ON UPDATE CURRENT_TIMESTAMP[(n)]`: the one thing MySQL and MariaDB take after ON UPDATE. */
export function onUpdateClause(column: string, sql: string): string {
  const trimmed = sql.trim();
  if (!ON_UPDATE.test(trimmed)) {
    throw unsupported(
      `MySQL's ON UPDATE takes only CURRENT_TIMESTAMP: cannot render ${describeColumn(column)} with ON UPDATE ${trimmed}`,
      'Write onUpdate: sql`CURRENT_TIMESTAMP` (with the precision of the column: CURRENT_TIMESTAMP(3)), or set the column in a BEFORE UPDATE trigger.',
    );
  }
  return `ON UPDATE ${trimmed}`;
}

/** `COMMENT '…'`, or undefined for none (MySQL has no empty comment distinct from none). */
export function commentClause(comment: string | undefined): string | undefined {
  return comment === undefined || comment === '' ? undefined : `COMMENT ${stringLiteral(comment)}`;
}

function describeColumn(column: string): string {
  return `column ${JSON.stringify(column)}`;
}

/**
 * An identity column is MySQL's AUTO_INCREMENT, whose only option is where it starts (a table option). It always
 * lets an insert give its own value, so `always` reads as `byDefault`; the cache is a PostgreSQL performance
 * setting with no MySQL counterpart and is left out. Other sequence options have no AUTO_INCREMENT equivalent.
 */
export function autoIncrementStart(column: string, identity: Identity): number | bigint | undefined {
  const isOne = (value: number | bigint) => value === 1 || value === 1n;
  const refused: string[] = [];
  if (identity.increment !== undefined && !isOne(identity.increment)) refused.push('increment');
  if (identity.minValue !== undefined && identity.minValue !== null && !isOne(identity.minValue))
    refused.push('minValue');
  if (identity.maxValue !== undefined && identity.maxValue !== null) refused.push('maxValue');
  if (identity.cycle === true) refused.push('cycle');
  if (refused.length > 0) {
    throw unsupported(
      `MySQL's AUTO_INCREMENT has no ${refused.join(', ')}: cannot render the identity of ${describeColumn(column)}`,
      'AUTO_INCREMENT counts up by one (the server-wide auto_increment_increment aside) and only takes a start; drop the other identity options.',
    );
  }
  return identity.start;
}

/** `AUTO_INCREMENT = n` as a table option, when an identity column says where to start. */
export function autoIncrementOption(columns: readonly ColumnDefinition[]): string | undefined {
  for (const column of columns) {
    if (column.identity === undefined) continue;
    const start = autoIncrementStart(column.name, column.identity);
    if (start !== undefined) return `AUTO_INCREMENT = ${String(start)}`;
  }
  return undefined;
}

/**
 * A column's `references` as a table-level foreign key: MySQL parses a column-level REFERENCES clause and
 * ignores it, so written inline it would silently create no constraint.
 */
export function columnForeignKey(column: ColumnDefinition): ForeignKeyConstraint | undefined {
  const reference = column.references;
  if (reference === undefined) return undefined;
  if (reference.column === undefined) {
    throw unsupported(
      `MySQL needs the referenced column named: ${describeColumn(column.name)} references ${JSON.stringify(reference.table)} without one`,
      `Give references.column (the referenced table's key column).`,
    );
  }
  const { table, schema, column: referenced, name: _name, ...actions } = reference;
  return {
    type: 'foreignKey',
    ...(reference.name === undefined ? {} : { name: reference.name }),
    columns: [column.name],
    references: { table, ...(schema === undefined ? {} : { schema }), columns: [referenced] },
    ...actions,
  };
}

/**
 * `` `name` type [COLLATE …] [GENERATED ALWAYS AS (…) STORED | VIRTUAL] [NOT NULL | NULL] [DEFAULT …]
 * [ON UPDATE …] [AUTO_INCREMENT] [UNIQUE] [PRIMARY KEY] [COMMENT '…'] [CHECK (…)] `` for CREATE TABLE and ADD
 * COLUMN. The column's `references` is not here: see {@link columnForeignKey}.
 */
export function columnDefinition(column: ColumnDefinition): string {
  const parts = [quoteIdentifier(column.name), mysqlColumnType(column.type)];
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`);
  if (column.generated !== undefined)
    parts.push(generatedClause(renderExpression(column.generated), column.generatedKind));
  // An identity is NOT NULL, as on PostgreSQL. A generated column is nullable unless said otherwise, and MariaDB
  // refuses both NULL and NOT NULL after one (MySQL takes NOT NULL, written when asked for).
  if (column.nullable === false || (column.identity !== undefined && column.nullable === undefined))
    parts.push('NOT NULL');
  else if (column.nullable === true && column.generated === undefined) parts.push('NULL');
  if (column.default !== undefined) parts.push(`DEFAULT ${defaultValue(column.default)}`);
  if (column.onUpdate !== undefined)
    parts.push(onUpdateClause(column.name, renderExpression(column.onUpdate)));
  if (column.identity !== undefined) {
    autoIncrementStart(column.name, column.identity); // refuses what AUTO_INCREMENT lacks; the start is a table option
    parts.push('AUTO_INCREMENT');
  }
  if (column.unique === true) parts.push('UNIQUE');
  if (column.primaryKey === true) parts.push('PRIMARY KEY');
  const comment = commentClause(column.comment);
  if (comment !== undefined) parts.push(comment);
  if (column.check !== undefined) parts.push(`CHECK (${renderExpression(column.check)})`);
  return parts.join(' ');
}
