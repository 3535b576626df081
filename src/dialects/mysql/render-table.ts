/** SQL for tables, columns (but altering one: see render-alter-column.ts) and indexes. */
import type { ColumnDefinition, IndexElement } from '../../operations/definitions.js';
import type { OperationOf } from '../../operations/operation.js';
import type { Sql } from '../dialect.js';
import { autoIncrementOption, columnDefinition, columnForeignKey, statement } from './render-column.js';
import { tableConstraint } from './render-constraint.js';
import { qualifiedName, quoteIdentifier, renderExpression, stringLiteral } from './render-literal.js';
import { unsupported } from './render-unsupported.js';

const ifExists = (flag: boolean | undefined): string => (flag === true ? 'IF EXISTS ' : '');
const ifNotExists = (flag: boolean | undefined): string => (flag === true ? 'IF NOT EXISTS ' : '');

/** MySQL accepts CASCADE on a drop and does nothing with it: refused rather than silently ignored. */
export function refuseCascade(cascade: boolean | undefined, what: string): void {
  if (cascade !== true) return;
  throw unsupported(
    `MySQL has no CASCADE for drops (it accepts the word and ignores it): cannot drop ${what} with its dependents`,
    'Drop what depends on it first (foreign keys, views), then drop it without cascade.',
  );
}

function columnForeignKeys(table: string, columns: readonly ColumnDefinition[]): string[] {
  return columns.flatMap((column) => {
    const foreignKey = columnForeignKey(column);
    return foreignKey === undefined ? [] : [tableConstraint(foreignKey, table)];
  });
}

/**
 * `CREATE TABLE … (columns, constraints) [ENGINE = …] [AUTO_INCREMENT = n] [DEFAULT CHARSET = …] [COLLATE = …]
 * [COMMENT = '…']`. Comments are part of the definition on MySQL, and a column's `references` becomes a
 * table-level foreign key after the columns.
 */
export function createTable(op: OperationOf<'createTable'>): Sql[] {
  const sqliteOnly = (['strict', 'withoutRowid'] as const).filter((key) => op[key] === true);
  if (sqliteOnly.length > 0) {
    throw unsupported(
      `MySQL tables have no ${sqliteOnly.join(', ')} (SQLite's table options): cannot create the table ${JSON.stringify(op.table)} with them`,
      `Drop ${sqliteOnly.join(', ')}: MySQL checks values against their column's type in its strict SQL mode, and InnoDB already stores a table in its primary key's order.`,
    );
  }
  const lines = [
    ...op.columns.map(columnDefinition),
    ...columnForeignKeys(op.table, op.columns),
    ...op.constraints.map((constraint) => tableConstraint(constraint, op.table)),
  ];
  const body = lines.length === 0 ? '()' : `(\n${lines.map((line) => `  ${line}`).join(',\n')}\n)`;
  const options = [
    op.engine === undefined ? undefined : `ENGINE = ${quoteIdentifier(op.engine)}`,
    autoIncrementOption(op.columns),
    op.charset === undefined ? undefined : `DEFAULT CHARSET = ${quoteIdentifier(op.charset)}`,
    op.collation === undefined ? undefined : `COLLATE = ${quoteIdentifier(op.collation)}`,
  ];
  if (op.comment !== undefined) options.push(`COMMENT = ${stringLiteral(op.comment)}`);
  const tail = options.filter((option) => option !== undefined).map((option) => ` ${option}`);
  return [
    statement(
      `CREATE TABLE ${ifNotExists(op.ifNotExists)}${qualifiedName(op.schema, op.table)} ${body}${tail.join('')}`,
    ),
  ];
}

export function dropTable(op: OperationOf<'dropTable'>): Sql[] {
  refuseCascade(op.cascade, `the table ${JSON.stringify(op.table)}`);
  return [statement(`DROP TABLE ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.table)}`)];
}

/** The table stays in its database, as it stays in its schema on PostgreSQL. */
export function renameTable(op: OperationOf<'renameTable'>): Sql[] {
  return [
    statement(
      `RENAME TABLE ${qualifiedName(op.schema, op.table)} TO ${qualifiedName(op.schema, op.newName)}`,
    ),
  ];
}

/** A table comment is a table option; an empty one is none. */
export function setTableComment(op: OperationOf<'setTableComment'>): Sql[] {
  return [
    statement(
      `ALTER TABLE ${qualifiedName(op.schema, op.table)} COMMENT = ${stringLiteral(op.comment ?? '')}`,
    ),
  ];
}

/** `IF NOT EXISTS` is MariaDB's; the column's foreign key and AUTO_INCREMENT start go in the same ALTER TABLE. */
export function addColumn(op: OperationOf<'addColumn'>): Sql[] {
  const actions = [`ADD COLUMN ${ifNotExists(op.ifNotExists)}${columnDefinition(op.column)}`];
  actions.push(...columnForeignKeys(op.table, [op.column]).map((foreignKey) => `ADD ${foreignKey}`));
  const start = autoIncrementOption([op.column]);
  if (start !== undefined) actions.push(start);
  return [statement(`ALTER TABLE ${qualifiedName(op.schema, op.table)} ${actions.join(', ')}`)];
}

/** `IF EXISTS` is MariaDB's. */
export function dropColumn(op: OperationOf<'dropColumn'>): Sql[] {
  refuseCascade(op.cascade, `the column ${JSON.stringify(op.column)} of ${JSON.stringify(op.table)}`);
  return [
    statement(
      `ALTER TABLE ${qualifiedName(op.schema, op.table)} DROP COLUMN ${ifExists(op.ifExists)}${quoteIdentifier(op.column)}`,
    ),
  ];
}

function refuseIndexOption(flag: unknown, what: string, option: string, hint: string): void {
  if (flag === undefined || flag === false) return;
  throw unsupported(`MySQL indexes have no ${option}: cannot create ${what}`, hint);
}

/**
 * `` `column` ``, `` `column`(length) `` (a prefix) or `(expression)` (a functional key part: MySQL 8.0.13+), with
 * ASC or DESC.
 */
function indexElement(element: IndexElement, what: string): string {
  refuseIndexOption(
    element.collation,
    what,
    'per-column collation',
    'Drop collation from the index columns.',
  );
  refuseIndexOption(element.opclass, what, 'operator classes', 'Drop opclass from the index columns.');
  refuseIndexOption(
    element.nulls,
    what,
    'NULLS FIRST/LAST',
    'Drop nulls: MySQL sorts NULL first in ascending order.',
  );
  const prefix = element.length === undefined ? '' : `(${element.length})`;
  const key =
    'column' in element
      ? `${quoteIdentifier(element.column)}${prefix}`
      : `(${renderExpression(element.expression)})`;
  return element.order === undefined ? key : `${key} ${element.order.toUpperCase()}`;
}

// MySQL's index types; FULLTEXT and SPATIAL are kinds of index rather than methods, but play the same part.
const INDEX_METHODS: Record<string, { readonly kind?: string; readonly using?: string }> = {
  btree: { using: 'BTREE' },
  hash: { using: 'HASH' },
  fulltext: { kind: 'FULLTEXT' },
  spatial: { kind: 'SPATIAL' },
};

function indexMethod(
  using: string | undefined,
  what: string,
): { readonly kind?: string; readonly using?: string } {
  if (using === undefined) return {};
  const method = INDEX_METHODS[using.toLowerCase()];
  if (method === undefined) {
    throw unsupported(
      `MySQL has no ${JSON.stringify(using)} indexes: cannot create ${what}`,
      "Use 'btree' (the default), 'hash', 'fulltext' or 'spatial'.",
    );
  }
  return method;
}

/** Asks MySQL to build or drop the index without blocking writes, or to fail: CONCURRENTLY's promise. */
const ONLINE = ['ALGORITHM=INPLACE', 'LOCK=NONE'];

/**
 * `CREATE [UNIQUE | FULLTEXT | SPATIAL] INDEX [IF NOT EXISTS] … ON … (…) [USING BTREE | HASH]`. `IF NOT EXISTS`
 * is MariaDB's; expression parts are MySQL's (MariaDB indexes a generated column instead); `concurrently` is
 * online DDL (`ALGORITHM=INPLACE LOCK=NONE`). MySQL has no partial indexes, INCLUDE or storage parameters.
 */
export function createIndex(op: OperationOf<'createIndex'>): Sql[] {
  const what = `the index ${JSON.stringify(op.name)}`;
  refuseIndexOption(
    op.where,
    what,
    'WHERE clause (partial indexes)',
    'Index all rows, or index a generated column that is NULL for the rows to leave out.',
  );
  refuseIndexOption(
    op.include,
    what,
    'INCLUDE columns',
    'Drop include, or make the columns part of the key.',
  );
  refuseIndexOption(
    op.nullsNotDistinct,
    what,
    'NULLS NOT DISTINCT',
    'A MySQL unique index lets several rows hold NULL: make the columns NOT NULL, or drop nullsNotDistinct.',
  );
  refuseIndexOption(
    op.with !== undefined && Object.keys(op.with).length > 0,
    what,
    'storage parameters',
    'Drop with.',
  );
  const method = indexMethod(op.using, what);
  refuseIndexOption(
    op.unique === true && method.kind !== undefined,
    what,
    `UNIQUE ${method.kind} variant`,
    'Drop unique, or index with btree or hash.',
  );
  const kind = op.unique === true ? 'UNIQUE ' : method.kind === undefined ? '' : `${method.kind} `;
  let sql = `CREATE ${kind}INDEX ${ifNotExists(op.ifNotExists)}${quoteIdentifier(op.name)} ON ${qualifiedName(
    op.schema,
    op.table,
  )} (${op.columns.map((element) => indexElement(element, what)).join(', ')})`;
  if (method.using !== undefined) sql += ` USING ${method.using}`;
  if (op.concurrently === true) sql += ` ${ONLINE.join(' ')}`;
  return [statement(sql)];
}

/**
 * `DROP INDEX … ON table`: MySQL indexes belong to their table, which the operation names in `table` or in
 * `existing`. Without either the drop is refused: the render context reflects tables by name, not the table an
 * index is on, and index names are unique per table only (two tables may each have an `ix_name`). `concurrently`
 * needs the ALTER TABLE form, the only one MariaDB takes ALGORITHM and LOCK in.
 */
export function dropIndex(op: OperationOf<'dropIndex'>): Sql[] {
  const table = op.table ?? op.existing?.table;
  if (table === undefined) {
    throw unsupported(
      `MySQL drops an index from its table (DROP INDEX … ON table), and the table of the index ${JSON.stringify(op.name)} is not known`,
      `Pass the table: op.dropIndex(${JSON.stringify(op.name)}, { table: '…' }) (Alembic's table_name).`,
    );
  }
  refuseCascade(op.cascade, `the index ${JSON.stringify(op.name)}`);
  const target = qualifiedName(op.schema, table);
  const index = `${ifExists(op.ifExists)}${quoteIdentifier(op.name)}`;
  return [
    statement(
      op.concurrently === true
        ? `ALTER TABLE ${target} DROP INDEX ${index}, ${ONLINE.join(', ')}`
        : `DROP INDEX ${index} ON ${target}`,
    ),
  ];
}
