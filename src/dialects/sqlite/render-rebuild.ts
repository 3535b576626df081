/**
 * The operations SQLite does by rebuilding the table (see move-and-copy.ts), and the column changes it does in
 * place when it can: the renderer reads the table's present definition from the render context for these.
 */
import type { AmbixError } from '../../errors.js';
import type { ColumnDefinition } from '../../operations/definitions.js';
import type { Operation, OperationOf } from '../../operations/operation.js';
import type { TableModel } from '../../schema/model.js';
import type { RenderContext, Sql, TableReference } from '../dialect.js';
import {
  type DeclaredChange,
  dropsInPlace,
  foldIntoDeclared,
  foldOperations,
  moveAndCopy,
  type RebuildDependents,
} from './move-and-copy.js';
import { checkStrictType, defaultText, isConstantDefault, isSerialType } from './render-clauses.js';
import { opName, sqliteCannot } from './render-errors.js';
import { failIfAnyRow } from './render-guard.js';
import { MAIN_SCHEMA, qualifiedName, stringLiteral } from './render-literal.js';
import { mentionsColumn } from './render-scan.js';
import {
  addColumnInPlace,
  dropColumnInPlace,
  isRowidColumn,
  noCascade,
  refuseOnUpdate,
  renameColumn,
} from './render-table.js';

/**
 * What the SQLite renderer reads from its context: the table as it is, and the triggers (and views, if any) to set
 * aside while it rebuilds the table (dropping the table drops its triggers, which only their SQL can bring back).
 * Without dependents a rebuild keeps the views (they are left alone) but not the table's triggers; an offline script
 * then checks, before the rebuild, that the table has none (see {@link triggerGuard}).
 */
export type SqliteRenderContext = RenderContext;

export type TableOperation = Extract<Operation, { readonly table: string }>;

/** The table an operation works on, as the render context asks for it. */
function referenceOf(op: TableOperation): TableReference {
  return { schema: op.schema, name: op.table };
}

/**
 * The error for an operation SQLite needs the table's present definition for, when the context does not have it:
 * `why` says what SQLite lacks. Offline (`--sql`) the table cannot be read, and the error says what to give instead.
 */
export function missingDefinition(
  op: TableOperation,
  why: string,
  context: RenderContext | undefined,
): AmbixError {
  const table = JSON.stringify(op.table);
  const what =
    'pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)';
  if (context !== undefined && context.offline !== true) {
    return sqliteCannot(opName(op.kind), `${why}, and the database has no table ${table}`);
  }
  return sqliteCannot(
    opName(op.kind),
    context === undefined
      ? `${why}, so ambix needs the present definition of table ${table}, which it does not have here: ${what}`
      : `${why}, and --sql mode cannot read table ${table} from the database: ${what}`,
    `Put the change in op.batchAlterTable(${table}, (batch) => { … }, { existing: { columns: […], constraints: […], indexes: […] } }), with the table as it is before the batch (Alembic's copy_from). The schema module serves only an upgrade to the heads, and only for the last change the migrations make to the table: it declares the table as it is after them. Online runs read the table from the database.`,
  );
}

const REBUILDS = 'SQLite cannot do this in place and ambix rebuilds the table ("move and copy")';

/** The model as SQLite names it: the schema is the operation's database (`main` when it names none). */
export function inDatabase(table: TableModel, schema: string | undefined): TableModel {
  const database = schema ?? MAIN_SCHEMA;
  return table.schema === database ? table : { ...table, schema: database };
}

export function presentTable(op: TableOperation, context: RenderContext | undefined): TableModel | undefined {
  const table = context?.table(op.schema, op.table);
  return table === undefined ? undefined : inDatabase(table, op.schema);
}

/**
 * Before an offline rebuild of a table whose triggers are not known: statements that stop the script (a CHECK
 * that fails, naming what to do) if the table has triggers, which dropping the old table would silently take with
 * it. Online the runtime reflects the triggers and the rebuild creates them again.
 */
export function triggerGuard(
  op: TableOperation,
  context: RenderContext | undefined,
  dependents: RebuildDependents | undefined,
): Sql[] {
  if (context?.offline !== true || dependents !== undefined) return [];
  return failIfAnyRow(
    `ambix: rebuilding table ${op.table} would drop its triggers; drop them before this change and create them again after it`,
    `SELECT name FROM ${qualifiedName(op.schema, 'sqlite_schema')} WHERE type = 'trigger' AND tbl_name = ${stringLiteral(op.table)} COLLATE NOCASE`,
  );
}

/**
 * A batch that renames a column inside the rebuild creates the table's triggers and views again from their SQL,
 * which still names the old column; SQLite's RENAME COLUMN would have rewritten them. Refused, naming the way out.
 */
function refuseRenamesUsedBy(
  op: TableOperation,
  operations: readonly Operation[],
  dependents: RebuildDependents | undefined,
): void {
  if (dependents === undefined) return;
  const sources = [
    ...dependents.triggers.map((trigger) => ({
      what: `trigger ${JSON.stringify(trigger.name)}`,
      sql: trigger.definition,
    })),
    ...dependents.views.map((view) => ({ what: `view ${JSON.stringify(view.name)}`, sql: view.query })),
  ];
  for (const inner of operations) {
    if (inner.kind !== 'alterColumn' || inner.newName === undefined) continue;
    const user = sources.find((source) => mentionsColumn(source.sql, inner.column));
    if (user === undefined) continue;
    throw sqliteCannot(
      opName(op.kind),
      `the ${user.what} uses column ${JSON.stringify(inner.column)}, which this rebuild renames to ${JSON.stringify(inner.newName)}; the rebuild creates the ${user.what.split(' ')[0]} again as it is, naming the old column`,
      `Rename the column with an op.alterColumn(${JSON.stringify(op.table)}, ${JSON.stringify(inner.column)}, { newName: ${JSON.stringify(inner.newName)} }) of its own, outside the batch: SQLite's RENAME COLUMN rewrites the triggers and views that use it.`,
    );
  }
}

/**
 * The rebuild for `operations` on the table of `op`, from the table as it is: the context's (reflected online), or
 * `given` (a batch's `existing`); nothing when they change nothing (`ifExists` and the like). Offline, without
 * either, the schema module's table can serve (see {@link foldIntoDeclared}); `why` says why SQLite rebuilds.
 */
export function rebuild(
  op: TableOperation,
  context: SqliteRenderContext | undefined,
  operations: readonly Operation[] = [op],
  options: { readonly given?: TableModel; readonly why?: string } = {},
): Sql[] {
  const before = presentTable(op, context) ?? options.given;
  const dependents = context?.dependents?.(op.schema, op.table);
  let change: DeclaredChange;
  if (before === undefined) {
    const declared = context?.declaredTable?.(op.schema, op.table);
    if (declared === undefined) throw missingDefinition(op, options.why ?? REBUILDS, context);
    change = foldIntoDeclared(inDatabase(declared, op.schema), operations);
  } else {
    change = { ...foldOperations(before, operations), before };
    if (change.table === before) return [];
  }
  refuseRenamesUsedBy(op, operations, dependents);
  return [
    ...triggerGuard(op, context, dependents),
    ...moveAndCopy(change.before, change.table, {
      columnMap: change.columnMap,
      checkForeignKeys: change.checkForeignKeys,
      dependents,
    }),
  ];
}

/**
 * Why SQLite's ALTER TABLE ADD COLUMN refuses the column, or undefined when it can add it in place: no PRIMARY KEY
 * or UNIQUE, no STORED generated column (SQLite adds one only to an empty table; a VIRTUAL one it adds in place),
 * a default that is a constant (so every existing row gets the same), and none only if the column is nullable
 * (SQLite refuses a NOT NULL column without a default even on an empty table).
 */
export function whyNotAddInPlace(column: ColumnDefinition): string | undefined {
  if (column.primaryKey === true || column.identity !== undefined || isSerialType(column.type))
    return 'a primary key column';
  if (column.unique === true) return 'a UNIQUE column';
  if (column.generated !== undefined && column.generatedKind !== 'virtual')
    return 'a stored generated column';
  if (column.default !== undefined && !isConstantDefault(defaultText(column.default)))
    return 'a column whose default is not a constant';
  if (notNullWithoutDefault(column)) return 'a NOT NULL column without a default';
  return undefined;
}

export function notNullWithoutDefault(column: ColumnDefinition): boolean {
  const required = column.nullable === false || (column.nullable === undefined && column.primaryKey === true);
  const rowid = column.identity !== undefined || isSerialType(column.type);
  const hasDefault = column.default !== undefined && defaultText(column.default).toUpperCase() !== 'NULL';
  return required && !rowid && !hasDefault && column.generated === undefined;
}

/**
 * ADD COLUMN in place when SQLite can, else a rebuild. A NOT NULL column without a default is a rebuild (SQLite's
 * ADD COLUMN refuses one even on an empty table) whose copy fails, saying why, when the table has rows. SQLite has no ADD COLUMN IF NOT EXISTS, so `ifNotExists` asks the
 * table whether the column is there.
 */
export function addColumn(op: OperationOf<'addColumn'>, context: SqliteRenderContext | undefined): Sql[] {
  refuseOnUpdate(opName(op.kind), op.column);
  const table = presentTable(op, context);
  if (op.ifNotExists === true) {
    if (table === undefined) throw missingDefinition(op, 'SQLite has no ADD COLUMN IF NOT EXISTS', context);
    if (table.columns.some((column) => column.name === op.column.name)) return [];
  }
  // Known only when the table is read anyway (a batch, ifNotExists, a rebuild); else SQLite says it.
  if (table?.strict === true && !isRowidColumn(op.column))
    checkStrictType(opName(op.kind), op.column.name, op.column.type);
  const reason = whyNotAddInPlace(op.column);
  if (reason === undefined) return addColumnInPlace(op);
  // SQLite would refuse the ALTER TABLE: say so now, with what to do, rather than write SQL that fails.
  return rebuild(op, context, [op], {
    why: `SQLite cannot add ${reason} in place and ambix rebuilds the table ("move and copy")`,
  });
}

/**
 * DROP COLUMN in place (SQLite 3.35+) when SQLite can, else a rebuild. Without the table's definition it is
 * written in place, and SQLite refuses it if the column is in a key, an index, a constraint or a view.
 */
export function dropColumn(op: OperationOf<'dropColumn'>, context: SqliteRenderContext | undefined): Sql[] {
  noCascade(opName(op.kind), op.cascade, `column ${JSON.stringify(op.column)}`);
  const table = presentTable(op, context);
  if (table === undefined) {
    if (op.ifExists === true) throw missingDefinition(op, 'SQLite has no DROP COLUMN IF EXISTS', context);
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
export function changesColumn(op: OperationOf<'alterColumn'>): boolean {
  return (
    op.type !== undefined ||
    op.nullable !== undefined ||
    op.default !== undefined ||
    op.identity !== undefined
  );
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
    // A batch decides between changes in place and one rebuild from the table as it is.
    case 'batchAlterTable':
      return [referenceOf(op)];
    default:
      return [];
  }
}
