/**
 * `op.batchAlterTable()` on SQLite (Alembic's batch mode): when one of the changes needs the table rebuilt, all of
 * them go into one "move and copy" (see move-and-copy.ts); when none does, they run in place one after another.
 */
import type { BatchTableOperation } from '../../operations/batch-operations.js';
import type { OperationOf } from '../../operations/operation.js';
import type { TableModel } from '../../schema/model.js';
import type { Sql } from '../dialect.js';
import { applyToTable, dropsInPlace, tableOfDefinition } from './move-and-copy.js';
import { opName, sqliteCannot } from './render-errors.js';
import { MAIN_SCHEMA } from './render-literal.js';
import {
  addColumn,
  alterColumn,
  changesColumn,
  dropColumn,
  presentTable,
  rebuild,
  type SqliteRenderContext,
  whyNotAddInPlace,
} from './render-rebuild.js';
import { createIndex, dropIndex } from './render-table.js';
import { setTableComment } from './render-unsupported.js';

type Batch = OperationOf<'batchAlterTable'>;

const quoted = (name: string): string => JSON.stringify(name);

/**
 * What SQLite cannot do in place about `op`, judged from the table as it is before it (when known), or undefined
 * when it can. A dropped column is judged in place when the table is not known, as op.dropColumn() is.
 */
function whyRebuild(op: BatchTableOperation, table: TableModel | undefined): string | undefined {
  const hasColumn = (name: string) => table?.columns.some((column) => column.name === name) === true;
  switch (op.kind) {
    case 'addColumn': {
      if (op.ifNotExists === true && hasColumn(op.column.name)) return undefined;
      const reason = whyNotAddInPlace(op.column);
      return reason === undefined ? undefined : `add ${reason} (${quoted(op.column.name)})`;
    }
    case 'dropColumn':
      return table !== undefined && hasColumn(op.column) && !dropsInPlace(table, op.column)
        ? `drop the column ${quoted(op.column)}, which a key, a constraint or an index uses`
        : undefined;
    case 'alterColumn':
      return changesColumn(op)
        ? `change the type, nullability, default or identity of the column ${quoted(op.column)}`
        : undefined;
    case 'createIndex':
    case 'dropIndex':
    case 'setTableComment':
      return undefined;
    default:
      return `add or drop a constraint (${quoted(op.name)})`;
  }
}

/** One change SQLite does in place (see {@link whyRebuild}), rendered as the operation alone would be. */
function renderInPlace(op: BatchTableOperation, context: SqliteRenderContext): Sql[] {
  switch (op.kind) {
    case 'addColumn':
      return addColumn(op, context);
    case 'dropColumn':
      return dropColumn(op, context);
    case 'alterColumn':
      return alterColumn(op, context);
    case 'createIndex':
      return createIndex(op);
    case 'dropIndex':
      return dropIndex(op);
    case 'setTableComment':
      return setTableComment(op);
    default:
      throw new TypeError(`${op.kind} is not done in place`);
  }
}

/** A change that only sets a comment is an error on SQLite (it has none), in a batch as alone. */
function refuseComments(batch: Batch): void {
  for (const op of batch.operations) {
    if (op.kind === 'setTableComment') setTableComment(op);
    if (op.kind === 'alterColumn' && !changesColumn(op) && op.newName === undefined)
      alterColumn(op, undefined);
  }
}

/**
 * The changes in place, one after another, each judged from the table as the ones before it leave it; or, at
 * the first that needs a rebuild, why.
 */
function inPlace(
  batch: Batch,
  before: TableModel | undefined,
  context: SqliteRenderContext | undefined,
): Sql[] | { readonly reason: string; readonly op: BatchTableOperation } {
  let current = before;
  const statements: Sql[] = [];
  for (const op of batch.operations) {
    const reason = whyRebuild(op, current);
    if (reason !== undefined) return { reason, op };
    const known = current;
    statements.push(...renderInPlace(op, { ...context, table: () => known }));
    if (current !== undefined) current = applyToTable(current, op);
  }
  return statements;
}

export function batchAlterTable(batch: Batch, context: SqliteRenderContext | undefined): Sql[] {
  refuseComments(batch);
  const recreate = batch.recreate ?? 'auto';
  const given =
    batch.existing === undefined
      ? undefined
      : tableOfDefinition(batch.schema ?? MAIN_SCHEMA, batch.table, batch.existing);
  // Online the table as reflected; `existing` serves where the database cannot be read (offline).
  const before = presentTable(batch, context) ?? given;
  let why = `recreate is 'always', so ambix rebuilds the table ("move and copy")`;
  if (recreate !== 'always') {
    const attempt = inPlace(batch, before, context);
    if (Array.isArray(attempt)) return attempt;
    if (recreate === 'never') {
      throw sqliteCannot(
        opName(batch.kind),
        `recreate is 'never', but SQLite cannot ${attempt.reason} in place (batch.${attempt.op.kind}() on table ${quoted(batch.table)})`,
        "Leave recreate out (or set it to 'auto'): ambix then rebuilds the table once for all the batch's changes.",
      );
    }
    why = `SQLite cannot ${attempt.reason} in place, and ambix rebuilds the table ("move and copy") once for the whole batch`;
  }
  return rebuild(batch, context, batch.operations, { ...(given === undefined ? {} : { given }), why });
}
