/** SQL for tables, columns, indexes and constraints. */

import { AmbixError } from '../../errors.js';
import type {
  ColumnDefault,
  ColumnDefinition,
  ColumnReference,
  Deferrable,
  ExcludeElement,
  ForeignKeyActions,
  Identity,
  IndexElement,
  SequenceParameters,
  TableConstraint,
} from '../../operations/definitions.js';
import type { CreateConstraintOperation } from '../../operations/index-operations.js';
import type { OperationOf } from '../../operations/operation.js';
import { isSqlExpression } from '../../operations/sql-expression.js';
import type { Sql } from '../dialect.js';
import {
  literal,
  qualifiedName,
  quoteIdentifier,
  renderExpression,
  stringLiteral,
} from './render-literal.js';

export const statement = (sql: string): Sql => ({ sql });

export function columnList(names: readonly string[]): string {
  return `(${names.map(quoteIdentifier).join(', ')})`;
}

export function defaultValue(value: ColumnDefault): string {
  return isSqlExpression(value) ? renderExpression(value) : literal(value);
}

export function commentLiteral(comment: string | null): string {
  return comment === null ? 'NULL' : stringLiteral(comment);
}

function referentialClauses(actions: ForeignKeyActions): string {
  let text = '';
  if (actions.match !== undefined) text += ` MATCH ${actions.match.toUpperCase()}`;
  if (actions.onDelete !== undefined) text += ` ON DELETE ${actions.onDelete.toUpperCase()}`;
  if (actions.onUpdate !== undefined) text += ` ON UPDATE ${actions.onUpdate.toUpperCase()}`;
  return text + deferrableClause(actions);
}

function deferrableClause(deferrable: Deferrable): string {
  if (deferrable.initiallyDeferred === true) return ' DEFERRABLE INITIALLY DEFERRED';
  if (deferrable.deferrable === true) return ' DEFERRABLE';
  if (deferrable.deferrable === false) return ' NOT DEFERRABLE';
  return '';
}

function integer(value: number | bigint): string {
  return String(value);
}

/** Sequence parameters in `CREATE/ALTER SEQUENCE` and identity columns. */
export function sequenceParameters(parameters: SequenceParameters): string[] {
  const parts: string[] = [];
  if (parameters.increment !== undefined) parts.push(`INCREMENT BY ${integer(parameters.increment)}`);
  if (parameters.minValue !== undefined) {
    parts.push(parameters.minValue === null ? 'NO MINVALUE' : `MINVALUE ${integer(parameters.minValue)}`);
  }
  if (parameters.maxValue !== undefined) {
    parts.push(parameters.maxValue === null ? 'NO MAXVALUE' : `MAXVALUE ${integer(parameters.maxValue)}`);
  }
  if (parameters.start !== undefined) parts.push(`START WITH ${integer(parameters.start)}`);
  if (parameters.cache !== undefined) parts.push(`CACHE ${integer(parameters.cache)}`);
  if (parameters.cycle !== undefined) parts.push(parameters.cycle ? 'CYCLE' : 'NO CYCLE');
  return parts;
}

/** `GENERATED … AS IDENTITY [(options)]`. */
function identityClause(identity: Identity): string {
  const options = sequenceParameters(identity);
  const generated = identity.generated === 'always' ? 'ALWAYS' : 'BY DEFAULT';
  return `GENERATED ${generated} AS IDENTITY${options.length > 0 ? ` (${options.join(' ')})` : ''}`;
}

/**
 * The identity part of an alterColumn, around its other changes: `DROP IDENTITY` comes before them (an identity
 * refuses DROP NOT NULL and a default), `ADD GENERATED … AS IDENTITY` after (it needs NOT NULL and no default),
 * and an identity that stays is altered in place, `SET GENERATED …` and the sequence options given, so that
 * where it has counted to stays too.
 */
function identityChange(op: OperationOf<'alterColumn'>): { before: string[]; after: string[] } {
  const identity = op.identity;
  if (identity === undefined) return { before: [], after: [] };
  if (identity === null)
    return { before: [`ALTER COLUMN ${quoteIdentifier(op.column)} DROP IDENTITY`], after: [] };
  const alter = `ALTER COLUMN ${quoteIdentifier(op.newName ?? op.column)}`;
  if (op.existingIdentity === undefined || op.existingIdentity === null)
    return { before: [], after: [`${alter} ADD ${identityClause(identity)}`] };
  const generated = identity.generated === 'always' ? 'ALWAYS' : 'BY DEFAULT';
  const settings = [
    `SET GENERATED ${generated}`,
    ...sequenceParameters(identity).map((part) => `SET ${part}`),
  ];
  return { before: [], after: [`${alter} ${settings.join(' ')}`] };
}

function columnReference(reference: ColumnReference): string {
  const name = reference.name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(reference.name)} `;
  const column = reference.column === undefined ? '' : ` (${quoteIdentifier(reference.column)})`;
  return `${name}REFERENCES ${qualifiedName(reference.schema, reference.table)}${column}${referentialClauses(reference)}`;
}

/** `"name" type [COLLATE …] [identity | generated | DEFAULT …] [NOT NULL] [PRIMARY KEY] [UNIQUE] [CHECK …] [REFERENCES …]`. */
export function columnDefinition(column: ColumnDefinition): string {
  refuseMysqlColumnOptions(column);
  const parts = [quoteIdentifier(column.name), column.type];
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`);
  if (column.identity !== undefined) parts.push(identityClause(column.identity));
  if (column.generated !== undefined)
    parts.push(`GENERATED ALWAYS AS (${renderExpression(column.generated)}) STORED`);
  if (column.default !== undefined) parts.push(`DEFAULT ${defaultValue(column.default)}`);
  if (column.nullable === false) parts.push('NOT NULL');
  if (column.primaryKey === true) parts.push('PRIMARY KEY');
  if (column.unique === true) parts.push('UNIQUE');
  if (column.check !== undefined) parts.push(`CHECK (${renderExpression(column.check)})`);
  if (column.references !== undefined) parts.push(columnReference(column.references));
  return parts.join(' ');
}

/** MySQL's column options, which PostgreSQL has no clause for. */
function refuseMysqlColumnOptions(column: ColumnDefinition): void {
  const what = `the column ${JSON.stringify(column.name)}`;
  if (column.onUpdate !== undefined) {
    throw new AmbixError(
      'FAILED',
      `PostgreSQL has no ON UPDATE for columns: cannot render ${what} with onUpdate`,
      {
        hint: 'Drop onUpdate and set the column in a BEFORE UPDATE trigger (op.createFunction and op.createTrigger), or from the application.',
      },
    );
  }
  if (column.generatedKind === 'virtual') {
    throw new AmbixError(
      'FAILED',
      `ambix writes only STORED generated columns on PostgreSQL: cannot render ${what} as virtual`,
      {
        hint: "Drop generatedKind (PostgreSQL before 18 has only STORED columns), or write the column with op.execute('ALTER TABLE … ADD COLUMN … GENERATED ALWAYS AS (…) VIRTUAL').",
      },
    );
  }
}

/** One element of an index or exclusion constraint. */
export function indexElement(element: IndexElement): string {
  if (element.length !== undefined) {
    throw new AmbixError(
      'FAILED',
      `PostgreSQL indexes have no prefix lengths: cannot index the first ${element.length} characters of ${'column' in element ? JSON.stringify(element.column) : 'an expression'}`,
      {
        hint: 'Drop length, or index an expression such as left(column, n).',
      },
    );
  }
  let text =
    'column' in element ? quoteIdentifier(element.column) : `(${renderExpression(element.expression)})`;
  if (element.collation !== undefined) text += ` COLLATE ${quoteIdentifier(element.collation)}`;
  if (element.opclass !== undefined) text += ` ${quoteIdentifier(element.opclass)}`;
  if (element.order !== undefined) text += ` ${element.order.toUpperCase()}`;
  if (element.nulls !== undefined) text += ` NULLS ${element.nulls.toUpperCase()}`;
  return text;
}

function excludeElement(element: ExcludeElement): string {
  return `${indexElement(element)} WITH ${element.operator}`;
}

function include(columns: readonly string[] | undefined): string {
  return columns === undefined ? '' : ` INCLUDE ${columnList(columns)}`;
}

/** A table constraint as it appears in `CREATE TABLE` and `ALTER TABLE … ADD`. */
export function tableConstraint(constraint: TableConstraint, name = constraint.name): string {
  const prefix = name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(name)} `;
  switch (constraint.type) {
    case 'primaryKey':
      return `${prefix}PRIMARY KEY ${columnList(constraint.columns)}${include(constraint.include)}`;
    case 'foreignKey': {
      const target = qualifiedName(constraint.references.schema, constraint.references.table);
      const notValid = constraint.notValid === true ? ' NOT VALID' : '';
      return `${prefix}FOREIGN KEY ${columnList(constraint.columns)} REFERENCES ${target} ${columnList(
        constraint.references.columns,
      )}${referentialClauses(constraint)}${notValid}`;
    }
    case 'unique': {
      const nulls = constraint.nullsNotDistinct === true ? ' NULLS NOT DISTINCT' : '';
      return `${prefix}UNIQUE${nulls} ${columnList(constraint.columns)}${include(constraint.include)}${deferrableClause(
        constraint,
      )}`;
    }
    case 'check': {
      const noInherit = constraint.noInherit === true ? ' NO INHERIT' : '';
      const notValid = constraint.notValid === true ? ' NOT VALID' : '';
      return `${prefix}CHECK (${renderExpression(constraint.expression)})${noInherit}${notValid}`;
    }
    case 'exclude': {
      const using = constraint.using === undefined ? '' : ` USING ${quoteIdentifier(constraint.using)}`;
      const where = constraint.where === undefined ? '' : ` WHERE (${renderExpression(constraint.where)})`;
      return `${prefix}EXCLUDE${using} (${constraint.elements.map(excludeElement).join(', ')})${include(
        constraint.include,
      )}${where}${deferrableClause(constraint)}`;
    }
  }
}

function alterTable(schema: string | undefined, table: string): string {
  return `ALTER TABLE ${qualifiedName(schema, table)}`;
}

function columnComment(
  schema: string | undefined,
  table: string,
  column: string,
  comment: string | null,
): Sql {
  return statement(
    `COMMENT ON COLUMN ${qualifiedName(schema, table)}.${quoteIdentifier(column)} IS ${commentLiteral(comment)}`,
  );
}

export function createTable(op: OperationOf<'createTable'>): Sql[] {
  const mysqlOnly = (['engine', 'charset', 'collation'] as const).filter((key) => op[key] !== undefined);
  if (mysqlOnly.length > 0) {
    throw new AmbixError(
      'FAILED',
      `PostgreSQL tables have no ${mysqlOnly.join(', ')} (MySQL's table options): cannot create the table ${JSON.stringify(op.table)} with them`,
      {
        hint: `Drop ${mysqlOnly.join(', ')}; on PostgreSQL give each column its collation, or the database its encoding.`,
      },
    );
  }
  const sqliteOnly = (['strict', 'withoutRowid'] as const).filter((key) => op[key] === true);
  if (sqliteOnly.length > 0) {
    throw new AmbixError(
      'FAILED',
      `PostgreSQL tables have no ${sqliteOnly.join(', ')} (SQLite's table options): cannot create the table ${JSON.stringify(op.table)} with them`,
      {
        hint: `Drop ${sqliteOnly.join(', ')}: PostgreSQL always checks values against their column's type, and its tables have no rowid to do without.`,
      },
    );
  }
  const lines = [
    ...op.columns.map(columnDefinition),
    ...op.constraints.map((constraint) => tableConstraint(constraint)),
  ];
  const ifNotExists = op.ifNotExists === true ? 'IF NOT EXISTS ' : '';
  const body = lines.length === 0 ? '()' : `(\n${lines.map((line) => `  ${line}`).join(',\n')}\n)`;
  const statements = [statement(`CREATE TABLE ${ifNotExists}${qualifiedName(op.schema, op.table)} ${body}`)];
  if (op.comment !== undefined) {
    statements.push(
      statement(`COMMENT ON TABLE ${qualifiedName(op.schema, op.table)} IS ${commentLiteral(op.comment)}`),
    );
  }
  for (const column of op.columns) {
    if (column.comment !== undefined)
      statements.push(columnComment(op.schema, op.table, column.name, column.comment));
  }
  return statements;
}

export function dropTable(op: OperationOf<'dropTable'>): Sql[] {
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  const cascade = op.cascade === true ? ' CASCADE' : '';
  return [statement(`DROP TABLE ${ifExists}${qualifiedName(op.schema, op.table)}${cascade}`)];
}

export function renameTable(op: OperationOf<'renameTable'>): Sql[] {
  return [statement(`${alterTable(op.schema, op.table)} RENAME TO ${quoteIdentifier(op.newName)}`)];
}

export function setTableComment(op: OperationOf<'setTableComment'>): Sql[] {
  return [
    statement(`COMMENT ON TABLE ${qualifiedName(op.schema, op.table)} IS ${commentLiteral(op.comment)}`),
  ];
}

export function addColumn(op: OperationOf<'addColumn'>): Sql[] {
  const ifNotExists = op.ifNotExists === true ? 'IF NOT EXISTS ' : '';
  const statements = [
    statement(`${alterTable(op.schema, op.table)} ADD COLUMN ${ifNotExists}${columnDefinition(op.column)}`),
  ];
  if (op.column.comment !== undefined) {
    statements.push(columnComment(op.schema, op.table, op.column.name, op.column.comment));
  }
  return statements;
}

export function dropColumn(op: OperationOf<'dropColumn'>): Sql[] {
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  const cascade = op.cascade === true ? ' CASCADE' : '';
  return [
    statement(
      `${alterTable(op.schema, op.table)} DROP COLUMN ${ifExists}${quoteIdentifier(op.column)}${cascade}`,
    ),
  ];
}

/**
 * Type (with `USING`) and default first, under the column's old name, which is the name `USING` expressions use;
 * then the rename; then nullability and the comment under the new name (so that PostgreSQL 18 names a new NOT
 * NULL constraint after the new name, as it would for a new column). When both the type and the default change,
 * the old default is dropped before the type changes (it might not convert) and the new one set after, as
 * PostgreSQL's documentation recommends. Without a rename the changes are one `ALTER TABLE`.
 */
export function alterColumn(op: OperationOf<'alterColumn'>): Sql[] {
  const before = `ALTER COLUMN ${quoteIdentifier(op.column)}`;
  const name = op.newName ?? op.column;
  const after = `ALTER COLUMN ${quoteIdentifier(name)}`;
  const first: string[] = [];
  if (op.type !== undefined) {
    if (op.default !== undefined) first.push(`${before} DROP DEFAULT`);
    const using = op.using === undefined ? '' : ` USING ${renderExpression(op.using)}`;
    first.push(`${before} TYPE ${op.type}${using}`);
    if (op.default !== undefined && op.default !== null)
      first.push(`${before} SET DEFAULT ${defaultValue(op.default)}`);
  } else if (op.default !== undefined) {
    first.push(
      op.default === null ? `${before} DROP DEFAULT` : `${before} SET DEFAULT ${defaultValue(op.default)}`,
    );
  }
  const nullability = op.nullable === undefined ? [] : [`${after} ${op.nullable ? 'DROP' : 'SET'} NOT NULL`];
  const table = alterTable(op.schema, op.table);
  const identity = identityChange(op);
  const statements: Sql[] = identity.before.map((action) => statement(`${table} ${action}`));
  if (op.newName === undefined) {
    const actions = [...first, ...nullability];
    if (actions.length > 0) statements.push(statement(`${table} ${actions.join(', ')}`));
  } else {
    if (first.length > 0) statements.push(statement(`${table} ${first.join(', ')}`));
    statements.push(
      statement(`${table} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(op.newName)}`),
    );
    if (nullability.length > 0) statements.push(statement(`${table} ${nullability.join(', ')}`));
  }
  for (const action of identity.after) statements.push(statement(`${table} ${action}`));
  if (op.comment !== undefined) statements.push(columnComment(op.schema, op.table, name, op.comment));
  return statements;
}

function storageParameter(value: string | number | boolean): string {
  return typeof value === 'string' ? stringLiteral(value) : literal(value);
}

export function createIndex(op: OperationOf<'createIndex'>): Sql[] {
  let sql = `CREATE ${op.unique === true ? 'UNIQUE ' : ''}INDEX `;
  if (op.concurrently === true) sql += 'CONCURRENTLY ';
  if (op.ifNotExists === true) sql += 'IF NOT EXISTS ';
  sql += `${quoteIdentifier(op.name)} ON ${qualifiedName(op.schema, op.table)}`;
  if (op.using !== undefined) sql += ` USING ${quoteIdentifier(op.using)}`;
  sql += ` (${op.columns.map(indexElement).join(', ')})`;
  sql += include(op.include);
  if (op.nullsNotDistinct === true) sql += ' NULLS NOT DISTINCT';
  if (op.with !== undefined && Object.keys(op.with).length > 0) {
    const parameters = Object.entries(op.with).map(([key, value]) => `${key} = ${storageParameter(value)}`);
    sql += ` WITH (${parameters.join(', ')})`;
  }
  if (op.where !== undefined) sql += ` WHERE ${renderExpression(op.where)}`;
  return [statement(sql)];
}

export function dropIndex(op: OperationOf<'dropIndex'>): Sql[] {
  const concurrently = op.concurrently === true ? 'CONCURRENTLY ' : '';
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  const cascade = op.cascade === true ? ' CASCADE' : '';
  return [statement(`DROP INDEX ${concurrently}${ifExists}${qualifiedName(op.schema, op.name)}${cascade}`)];
}

const CONSTRAINT_TYPE = {
  createPrimaryKey: 'primaryKey',
  createForeignKey: 'foreignKey',
  createUniqueConstraint: 'unique',
  createCheckConstraint: 'check',
  createExcludeConstraint: 'exclude',
} as const;

export function addConstraint(op: CreateConstraintOperation): Sql[] {
  const { kind, schema, table, name, ...rest } = op;
  const constraint = { type: CONSTRAINT_TYPE[kind], ...rest } as TableConstraint;
  return [statement(`${alterTable(schema, table)} ADD ${tableConstraint(constraint, name)}`)];
}

export function dropConstraint(op: OperationOf<'dropConstraint'>): Sql[] {
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  const cascade = op.cascade === true ? ' CASCADE' : '';
  return [
    statement(
      `${alterTable(op.schema, op.table)} DROP CONSTRAINT ${ifExists}${quoteIdentifier(op.name)}${cascade}`,
    ),
  ];
}
