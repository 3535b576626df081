/** SQLite DDL for what it does in place: CREATE/DROP/RENAME of tables, ADD/DROP/RENAME COLUMN, indexes. */
import type {
  ColumnDefinition,
  ColumnReference,
  IndexElement,
  TableConstraint,
} from '../../operations/definitions.js';
import type { OperationOf } from '../../operations/operation.js';
import type { Sql } from '../dialect.js';
import {
  checkMatch,
  checkNullsOrder,
  checkReferenceSchema,
  checkStrictType,
  columnList,
  defaultClauseText,
  defaultText,
  deferrableClause,
  isSerialType,
  noRowidToNumber,
  notRowid,
  referentialClauses,
  rowidType,
  statement,
  tableOptionsClause,
  withoutRowidNeedsKey,
} from './render-clauses.js';
import { opName, sqliteCannot } from './render-errors.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';

/**
 * How a column takes part in its table's primary key, which SQLite needs written on the column itself when the
 * column is the rowid (`INTEGER PRIMARY KEY [AUTOINCREMENT]`).
 */
export interface PrimaryKeyRole {
  /** The column is in the primary key (so NOT NULL unless declared nullable, as on PostgreSQL). */
  readonly member: boolean;
  /** Written on the column: `[CONSTRAINT name] PRIMARY KEY`; `name` undefined for an unnamed one. */
  readonly inline?: { readonly name?: string };
}

/** An identity column is SQLite's AUTOINCREMENT; a serial one its plain rowid. Either needs INTEGER PRIMARY KEY. */
export function isRowidColumn(column: ColumnDefinition): boolean {
  return column.identity !== undefined || isSerialType(column.type);
}

function checkIdentity(where: string, column: ColumnDefinition): void {
  const identity = column.identity;
  if (identity === undefined) return;
  const options = (['start', 'increment', 'minValue', 'maxValue', 'cache', 'cycle'] as const).filter(
    (key) => identity[key] !== undefined,
  );
  if (options.length > 0) {
    throw sqliteCannot(
      where,
      `SQLite's AUTOINCREMENT has no sequence options (${options.join(', ')} on column ${JSON.stringify(column.name)}): leave them out`,
    );
  }
}

function columnReference(where: string, schema: string | undefined, reference: ColumnReference): string {
  checkMatch(where, reference.match);
  checkReferenceSchema(where, reference.schema, schema);
  const name = reference.name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(reference.name)} `;
  const column = reference.column === undefined ? '' : ` (${quoteIdentifier(reference.column)})`;
  return `${name}REFERENCES ${quoteIdentifier(reference.table)}${column}${referentialClauses(reference, false)}${deferrableClause(reference, false)}`;
}

/** MySQL's `ON UPDATE CURRENT_TIMESTAMP`, which SQLite has no clause for. */
export function refuseOnUpdate(where: string, column: ColumnDefinition): void {
  if (column.onUpdate !== undefined) {
    throw sqliteCannot(
      where,
      `SQLite has no ON UPDATE for columns (${quoteIdentifier(column.name)}): leave onUpdate out, and set the column in an AFTER UPDATE trigger`,
    );
  }
}

/** `GENERATED ALWAYS AS (…) STORED` or `VIRTUAL`: ambix writes the kind, SQLite's default being VIRTUAL. */
export function generatedClause(expression: string, kind: 'stored' | 'virtual' | undefined): string {
  return `GENERATED ALWAYS AS (${expression}) ${kind === 'virtual' ? 'VIRTUAL' : 'STORED'}`;
}

/**
 * `"name" type [COLLATE …] [GENERATED … | DEFAULT …] [NOT NULL] [PRIMARY KEY [AUTOINCREMENT]] [UNIQUE] [CHECK …]
 * [REFERENCES …]`. The comment, which SQLite has nowhere to keep, is left out: it describes and changes nothing.
 */
export function columnDefinition(
  where: string,
  schema: string | undefined,
  column: ColumnDefinition,
  primaryKey: PrimaryKeyRole,
): string {
  checkIdentity(where, column);
  refuseOnUpdate(where, column);
  const rowid = isRowidColumn(column);
  const parts = [
    quoteIdentifier(column.name),
    rowid ? rowidType(where, column.name, column.type) : column.type,
  ];
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`);
  if (column.generated !== undefined)
    parts.push(generatedClause(renderExpression(column.generated), column.generatedKind));
  if (column.default !== undefined) parts.push(`DEFAULT ${defaultClauseText(defaultText(column.default))}`);
  // A rowid cannot be NULL (SQLite numbers a row given NULL), so NOT NULL would only be noise there.
  const notNull = column.nullable === false || (column.nullable === undefined && primaryKey.member && !rowid);
  if (notNull) parts.push('NOT NULL');
  if (primaryKey.inline !== undefined) {
    const name = primaryKey.inline.name;
    parts.push(`${name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(name)} `}PRIMARY KEY`);
    if (column.identity !== undefined) parts.push('AUTOINCREMENT');
  }
  if (column.unique === true) parts.push('UNIQUE');
  if (column.check !== undefined) parts.push(`CHECK (${renderExpression(column.check)})`);
  if (column.references !== undefined) parts.push(columnReference(where, schema, column.references));
  return parts.join(' ');
}

/** A table constraint of `CREATE TABLE`. NOT VALID means nothing on a new, empty table and is left out. */
export function tableConstraint(
  where: string,
  schema: string | undefined,
  constraint: TableConstraint,
): string {
  const prefix = constraint.name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(constraint.name)} `;
  switch (constraint.type) {
    case 'primaryKey':
      if (constraint.include !== undefined)
        throw sqliteCannot(where, 'SQLite primary keys have no INCLUDE columns: leave include out');
      return `${prefix}PRIMARY KEY ${columnList(constraint.columns)}`;
    case 'foreignKey':
      checkMatch(where, constraint.match);
      checkReferenceSchema(where, constraint.references.schema, schema);
      return `${prefix}FOREIGN KEY ${columnList(constraint.columns)} REFERENCES ${quoteIdentifier(
        constraint.references.table,
      )} ${columnList(constraint.references.columns)}${referentialClauses(constraint, false)}${deferrableClause(
        constraint,
        false,
      )}`;
    case 'unique':
      checkUniqueOptions(where, constraint);
      return `${prefix}UNIQUE ${columnList(constraint.columns)}`;
    case 'check':
      // NO INHERIT is about PostgreSQL's table inheritance, which SQLite does not have: nothing to inherit.
      return `${prefix}CHECK (${renderExpression(constraint.expression)})`;
    case 'exclude':
      throw sqliteCannot(where, EXCLUDE_MESSAGE);
  }
}

export const EXCLUDE_MESSAGE =
  'SQLite has no exclusion constraints: use a unique index (op.createIndex(…, { unique: true })) for equality, or a trigger that raises an error (op.execute(`CREATE TRIGGER … BEGIN SELECT RAISE(ABORT, …); END`))';

export function checkUniqueOptions(
  where: string,
  unique: {
    readonly deferrable?: boolean;
    readonly initiallyDeferred?: boolean;
    readonly nullsNotDistinct?: boolean;
    readonly include?: readonly string[];
  },
): void {
  if (unique.deferrable === true || unique.initiallyDeferred === true)
    throw sqliteCannot(
      where,
      'SQLite checks unique constraints at once and cannot defer them: leave deferrable out',
    );
  if (unique.nullsNotDistinct === true) {
    throw sqliteCannot(
      where,
      'SQLite unique constraints always let NULLs repeat (NULLS DISTINCT): leave nullsNotDistinct out, or make the columns NOT NULL',
    );
  }
  if (unique.include !== undefined && unique.include.length > 0)
    throw sqliteCannot(where, 'SQLite unique constraints have no INCLUDE columns: leave include out');
}

/**
 * Which column of a new table is SQLite's rowid (an identity or serial column), and so carries the primary key on
 * itself; the table constraint it replaces, if any, is dropped from the list.
 */
function placePrimaryKey(op: OperationOf<'createTable'>): {
  readonly roles: ReadonlyMap<string, PrimaryKeyRole>;
  readonly constraints: readonly TableConstraint[];
} {
  const where = opName(op.kind);
  const tableKey = op.constraints.find((constraint) => constraint.type === 'primaryKey');
  const columnKeys = op.columns.filter((column) => column.primaryKey === true).map((column) => column.name);
  const keyColumns = tableKey?.columns ?? columnKeys;
  const roles = new Map<string, PrimaryKeyRole>();
  let constraints = op.constraints;
  for (const column of op.columns) {
    const member = keyColumns.includes(column.name);
    if (!isRowidColumn(column)) {
      roles.set(column.name, member && column.primaryKey === true ? { member, inline: {} } : { member });
      continue;
    }
    if (keyColumns.length !== 1 || !member || (tableKey !== undefined && columnKeys.length > 0)) {
      throw notRowid(
        where,
        column.name,
        column.identity === undefined ? 'a serial column' : 'an identity column',
      );
    }
    roles.set(column.name, { member, inline: tableKey?.name === undefined ? {} : { name: tableKey.name } });
    constraints = constraints.filter((constraint) => constraint !== tableKey);
  }
  return { roles, constraints };
}

/**
 * What STRICT and WITHOUT ROWID ask of a new table, checked before SQLite would refuse it: SQLite's own column
 * types; a primary key, and no column numbered by the rowid.
 */
function checkSqliteTableOptions(op: OperationOf<'createTable'>): void {
  const where = opName(op.kind);
  if (op.withoutRowid === true) {
    const hasKey =
      op.columns.some((column) => column.primaryKey === true) ||
      op.constraints.some((constraint) => constraint.type === 'primaryKey');
    if (!hasKey) throw withoutRowidNeedsKey(where, op.table);
    const numbered = op.columns.find(isRowidColumn);
    if (numbered !== undefined) {
      throw noRowidToNumber(
        where,
        numbered.name,
        numbered.identity === undefined ? 'a serial column' : 'an identity column',
      );
    }
  }
  if (op.strict === true) {
    // A rowid column is written INTEGER whatever its declared integer type (see rowidType).
    for (const column of op.columns)
      if (!isRowidColumn(column)) checkStrictType(where, column.name, column.type);
  }
}

export function createTable(op: OperationOf<'createTable'>): Sql[] {
  const where = opName(op.kind);
  if (op.columns.length === 0) {
    throw sqliteCannot(where, `SQLite tables need at least one column; ${JSON.stringify(op.table)} has none`);
  }
  const mysqlOnly = (['engine', 'charset', 'collation'] as const).filter((key) => op[key] !== undefined);
  if (mysqlOnly.length > 0) {
    throw sqliteCannot(
      where,
      `SQLite tables have no ${mysqlOnly.join(', ')} (MySQL's table options): leave them out, and give text columns their own collation`,
    );
  }
  checkSqliteTableOptions(op);
  const { roles, constraints } = placePrimaryKey(op);
  const lines = [
    ...op.columns.map((column) =>
      columnDefinition(where, op.schema, column, roles.get(column.name) ?? { member: false }),
    ),
    ...constraints.map((constraint) => tableConstraint(where, op.schema, constraint)),
  ];
  const ifNotExists = op.ifNotExists === true ? 'IF NOT EXISTS ' : '';
  // The table's comment is left out (SQLite has no COMMENT): it describes the table and changes nothing.
  return [
    statement(
      `CREATE TABLE ${ifNotExists}${qualifiedName(op.schema, op.table)} (\n${lines.map((line) => `  ${line}`).join(',\n')}\n)${tableOptionsClause(op)}`,
    ),
  ];
}

export function noCascade(where: string, cascade: boolean | undefined, what: string): void {
  if (cascade === true) {
    throw sqliteCannot(
      where,
      `SQLite has no CASCADE: drop what depends on ${what} (views, triggers, foreign keys of other tables) first, then leave cascade out`,
    );
  }
}

export function dropTable(op: OperationOf<'dropTable'>): Sql[] {
  noCascade(opName(op.kind), op.cascade, `table ${JSON.stringify(op.table)}`);
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  return [statement(`DROP TABLE ${ifExists}${qualifiedName(op.schema, op.table)}`)];
}

export function renameTable(op: OperationOf<'renameTable'>): Sql[] {
  return [
    statement(`ALTER TABLE ${qualifiedName(op.schema, op.table)} RENAME TO ${quoteIdentifier(op.newName)}`),
  ];
}

/** `ALTER TABLE … ADD COLUMN`, for a column SQLite can add in place (see `addsInPlace`). */
export function addColumnInPlace(op: OperationOf<'addColumn'>): Sql[] {
  return [
    statement(
      `ALTER TABLE ${qualifiedName(op.schema, op.table)} ADD COLUMN ${columnDefinition(opName(op.kind), op.schema, op.column, { member: false })}`,
    ),
  ];
}

export function dropColumnInPlace(op: OperationOf<'dropColumn'>): Sql[] {
  return [
    statement(`ALTER TABLE ${qualifiedName(op.schema, op.table)} DROP COLUMN ${quoteIdentifier(op.column)}`),
  ];
}

export function renameColumn(schema: string | undefined, table: string, from: string, to: string): Sql {
  return statement(
    `ALTER TABLE ${qualifiedName(schema, table)} RENAME COLUMN ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}`,
  );
}

/** One element of an index: a column or a parenthesized expression, then COLLATE and the order. */
export function indexElement(where: string, element: IndexElement): string {
  const shown =
    'column' in element ? quoteIdentifier(element.column) : `(${renderExpression(element.expression)})`;
  if (element.opclass !== undefined) {
    throw sqliteCannot(
      where,
      `SQLite indexes have no operator classes (${element.opclass} on ${shown}): leave opclass out`,
    );
  }
  if (element.length !== undefined) {
    throw sqliteCannot(
      where,
      `SQLite indexes have no prefix lengths (${element.length} on ${shown}): leave length out, or index substr(column, 1, n)`,
    );
  }
  checkNullsOrder(where, shown, element.order, element.nulls);
  let text = shown;
  if (element.collation !== undefined) text += ` COLLATE ${quoteIdentifier(element.collation)}`;
  if (element.order !== undefined) text += ` ${element.order.toUpperCase()}`;
  return text;
}

/** SQLite's only index method: PostgreSQL's name for it is accepted, and means what it says. */
export function checkIndexMethod(where: string, method: string | undefined): void {
  if (method !== undefined && method.toLowerCase() !== 'btree') {
    throw sqliteCannot(where, `SQLite has only b-tree indexes, not ${method}: leave using out`);
  }
}

/**
 * `CREATE [UNIQUE] INDEX [IF NOT EXISTS] "schema"."name" ON "table" (…) [WHERE …]`: SQLite puts the schema on the
 * index's name, and the table is the one of that name in that schema. CONCURRENTLY is left out: SQLite builds
 * every index under its one write lock, which is what a plain CREATE INDEX does on PostgreSQL too.
 */
export function createIndex(op: OperationOf<'createIndex'>): Sql[] {
  const where = opName(op.kind);
  checkIndexMethod(where, op.using);
  if (op.include !== undefined)
    throw sqliteCannot(
      where,
      'SQLite indexes have no INCLUDE columns: add them to the indexed columns instead',
    );
  if (op.nullsNotDistinct === true) {
    throw sqliteCannot(
      where,
      'SQLite unique indexes always let NULLs repeat (NULLS DISTINCT): leave nullsNotDistinct out, or make the columns NOT NULL',
    );
  }
  if (op.with !== undefined && Object.keys(op.with).length > 0)
    throw sqliteCannot(where, 'SQLite indexes have no storage parameters: leave `with` out');
  let sql = `CREATE ${op.unique === true ? 'UNIQUE ' : ''}INDEX ${op.ifNotExists === true ? 'IF NOT EXISTS ' : ''}`;
  sql += `${qualifiedName(op.schema, op.name)} ON ${quoteIdentifier(op.table)}`;
  sql += ` (${op.columns.map((element) => indexElement(where, element)).join(', ')})`;
  if (op.where !== undefined) sql += ` WHERE ${renderExpression(op.where)}`;
  return [statement(sql)];
}

/** CONCURRENTLY and CASCADE are left out: nothing in SQLite can depend on an index. */
export function dropIndex(op: OperationOf<'dropIndex'>): Sql[] {
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  return [statement(`DROP INDEX ${ifExists}${qualifiedName(op.schema, op.name)}`)];
}
