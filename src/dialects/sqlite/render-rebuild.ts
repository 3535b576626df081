/**
 * The operations SQLite does by rebuilding the table (see move-and-copy.ts), and the column changes it does in
 * place when it can: the renderer reads the table's present definition from the render context for these.
 */
import type { AmbixError } from '../../errors.js';
import type { ColumnDefinition } from '../../operations/definitions.js';
import type { Operation, OperationOf } from '../../operations/operation.js';
import type { TableModel } from '../../schema/model.js';
import type { RenderContext, Sql, TableReference } from '../dialect.js';
import { dropsInPlace, foldOperations, moveAndCopy, type RebuildDependents } from './move-and-copy.js';
import { defaultText, isConstantDefault, isSerialType } from './render-clauses.js';
import { opName, sqliteCannot } from './render-errors.js';
import { MAIN_SCHEMA } from './render-literal.js';
import { addColumnInPlace, dropColumnInPlace, noCascade, renameColumn } from './render-table.js';

/**
 * What the SQLite renderer can use beyond the table: the views and triggers to set aside while it rebuilds the
 * table (dropping the table drops its triggers, which only their SQL can bring back). Optional: without it a
 * rebuild keeps the views (they are left alone) but not the table's triggers.
 */
export interface SqliteRenderContext extends RenderContext {
  dependents?(schema: string | undefined, table: string): RebuildDependents | undefined;
}

type TableOperation = Extract<Operation, { readonly table: string }>;

/** The table an operation works on, as the render context asks for it. */
function referenceOf(op: TableOperation): TableReference {
  return { schema: op.schema, name: op.table };
}

/**
 * The error for an operation SQLite needs the table's present definition for, when the context does not have it:
 * `why` says what SQLite lacks.
 */
function missingDefinition(op: TableOperation, why: string): AmbixError {
  return sqliteCannot(
    opName(op.kind),
    `${why}, so ambix needs the present definition of table ${JSON.stringify(op.table)}, which it does not have here. In --sql mode declare the table in the schema module (config \`schema\`) or pass \`existing\` to the operation`,
  );
}

const REBUILDS = 'SQLite cannot do this in place and ambix rebuilds the table ("move and copy")';

/** The model as SQLite names it: the schema is the operation's database (`main` when it names none). */
function inDatabase(table: TableModel, schema: string | undefined): TableModel {
  const database = schema ?? MAIN_SCHEMA;
  return table.schema === database ? table : { ...table, schema: database };
}

function presentTable(op: TableOperation, context: RenderContext | undefined): TableModel | undefined {
  const table = context?.table(op.schema, op.table);
  return table === undefined ? undefined : inDatabase(table, op.schema);
}

/** The rebuild for `operations` on the table of `op`; nothing when they change nothing (`ifExists` and the like). */
function rebuild(
  op: TableOperation,
  context: SqliteRenderContext | undefined,
  operations: readonly Operation[] = [op],
): Sql[] {
  const before = presentTable(op, context);
  if (before === undefined) throw missingDefinition(op, REBUILDS);
  const change = foldOperations(before, operations);
  if (change.table === before) return [];
  return moveAndCopy(before, change.table, {
    columnMap: change.columnMap,
    checkForeignKeys: change.checkForeignKeys,
    dependents: context?.dependents?.(op.schema, op.table),
  });
}

/**
 * Why SQLite's ALTER TABLE ADD COLUMN refuses the column, or undefined when it can add it in place: no PRIMARY KEY
 * or UNIQUE, no STORED generated column, and a default that is a constant (so every existing row gets the same).
 */
export function whyNotAddInPlace(column: ColumnDefinition): string | undefined {
  if (column.primaryKey === true || column.identity !== undefined || isSerialType(column.type))
    return 'a primary key column';
  if (column.unique === true) return 'a UNIQUE column';
  if (column.generated !== undefined) return 'a stored generated column';
  if (column.default !== undefined && !isConstantDefault(defaultText(column.default)))
    return 'a column whose default is not a constant';
  return undefined;
}

function notNullWithoutDefault(column: ColumnDefinition): boolean {
  const required = column.nullable === false || (column.nullable === undefined && column.primaryKey === true);
  const rowid = column.identity !== undefined || isSerialType(column.type);
  const hasDefault = column.default !== undefined && defaultText(column.default).toUpperCase() !== 'NULL';
  return required && !rowid && !hasDefault && column.generated === undefined;
}

/**
 * ADD COLUMN in place when SQLite can, else a rebuild. A NOT NULL column without a default is refused either way:
 * the rows already there would have no value. SQLite has no ADD COLUMN IF NOT EXISTS, so `ifNotExists` asks the
 * table whether the column is there.
 */
export function addColumn(op: OperationOf<'addColumn'>, context: SqliteRenderContext | undefined): Sql[] {
  if (notNullWithoutDefault(op.column)) {
    throw sqliteCannot(
      opName(op.kind),
      `the NOT NULL column ${JSON.stringify(op.column.name)} has no default, so the rows already in table ${JSON.stringify(op.table)} would have no value for it`,
      'Give the column a default, or add it nullable, fill it (op.execute with an UPDATE) and then make it NOT NULL (op.alterColumn(…, { nullable: false })).',
    );
  }
  const table = presentTable(op, context);
  if (op.ifNotExists === true) {
    if (table === undefined) throw missingDefinition(op, 'SQLite has no ADD COLUMN IF NOT EXISTS');
    if (table.columns.some((column) => column.name === op.column.name)) return [];
  }
  const reason = whyNotAddInPlace(op.column);
  if (reason === undefined) return addColumnInPlace(op);
  // SQLite would refuse the ALTER TABLE: say so now, with what to do, rather than write SQL that fails.
  if (table === undefined)
    throw missingDefinition(
      op,
      `SQLite cannot add ${reason} in place and ambix rebuilds the table ("move and copy")`,
    );
  return rebuild(op, context);
}

/**
 * DROP COLUMN in place (SQLite 3.35+) when SQLite can, else a rebuild. Without the table's definition it is
 * written in place, and SQLite refuses it if the column is in a key, an index, a constraint or a view.
 */
export function dropColumn(op: OperationOf<'dropColumn'>, context: SqliteRenderContext | undefined): Sql[] {
  noCascade(opName(op.kind), op.cascade, `column ${JSON.stringify(op.column)}`);
  const table = presentTable(op, context);
  if (table === undefined) {
    if (op.ifExists === true) throw missingDefinition(op, 'SQLite has no DROP COLUMN IF EXISTS');
    return dropColumnInPlace(op);
  }
  if (!table.columns.some((column) => column.name === op.column)) {
    if (op.ifExists === true) return [];
    throw sqliteCannot(
      opName(op.kind),
      `table ${JSON.stringify(op.table)} has no column ${JSON.stringify(op.column)}`,
    );
  }
  return dropsInPlace(table, op.column) ? dropColumnInPlace(op) : rebuild(op, context);
}

/** Whether an alterColumn changes the column itself (anything but its name and comment). */
function changesColumn(op: OperationOf<'alterColumn'>): boolean {
  return op.type !== undefined || op.nullable !== undefined || op.default !== undefined;
}

/**
 * A rename alone is SQLite's RENAME COLUMN, which also rewrites the indexes, constraints, views and triggers that
 * name the column. Type, nullability and default rebuild the table, under the column's old name (the name `using`
 * reads), and a rename comes after, in place. The comment is left out (SQLite has no COMMENT), but an operation
 * that only sets a comment is an error rather than a silent nothing.
 */
export function alterColumn(op: OperationOf<'alterColumn'>, context: SqliteRenderContext | undefined): Sql[] {
  const rename = op.newName === undefined ? [] : [renameColumn(op.schema, op.table, op.column, op.newName)];
  if (!changesColumn(op)) {
    if (rename.length > 0) return rename;
    throw sqliteCannot(
      opName(op.kind),
      'SQLite has no comments on columns (COMMENT ON): keep the description in the schema module or in the migration',
    );
  }
  const { newName: _newName, comment: _comment, ...change } = op;
  return [...rebuild(op, context, [change]), ...rename];
}

/** Constraints live in SQLite's CREATE TABLE only: adding or dropping one rebuilds the table. */
export function rebuildFor(
  op: OperationOf<
    | 'createPrimaryKey'
    | 'createForeignKey'
    | 'createUniqueConstraint'
    | 'createCheckConstraint'
    | 'dropConstraint'
  >,
  context: SqliteRenderContext | undefined,
): Sql[] {
  return rebuild(op, context);
}

/** The tables whose present definition rendering `op` needs (see `Renderer.tablesNeeded`). */
export function tablesNeeded(op: Operation): TableReference[] {
  switch (op.kind) {
    case 'alterColumn':
      return changesColumn(op) ? [referenceOf(op)] : [];
    case 'addColumn':
      return op.ifNotExists === true || whyNotAddInPlace(op.column) !== undefined ? [referenceOf(op)] : [];
    case 'dropColumn':
    case 'createPrimaryKey':
    case 'createForeignKey':
    case 'createUniqueConstraint':
    case 'createCheckConstraint':
    case 'dropConstraint':
      return [referenceOf(op)];
    default:
      return [];
  }
}
