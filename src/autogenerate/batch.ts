/**
 * Alembic's `render_as_batch` for SQLite: the changes autogenerate writes for one table are grouped into one
 * `op.batchAlterTable(…)`, so that a table that gains a column, loses a constraint and changes a type is copied
 * once, not once per change. SQLite runs with foreign keys off and checks them after each copy, so a table's
 * changes may move up to its first one; a change to the table that a batch cannot hold (a rename, a drop, raw
 * SQL) ends the group.
 */
import {
  type BatchAlterTableOperation,
  type BatchTableOperation,
  isBatchTableOperation,
} from '../operations/batch-operations.js';
import type { Operation } from '../operations/operation.js';

type TableChange = BatchTableOperation & { readonly table: string };

function isBatchable(operation: Operation): operation is TableChange {
  return isBatchTableOperation(operation) && operation.table !== undefined;
}

const tableKey = (schema: string | undefined, table: string): string => `${schema ?? ''}\u0000${table}`;

/** The table an operation that is not batchable touches, or `'*'` when it may touch any (raw SQL). */
function touched(operation: Operation): string | undefined {
  if (
    operation.kind === 'execute' ||
    operation.kind === 'beginAutocommit' ||
    operation.kind === 'endAutocommit'
  )
    return '*';
  const { table, schema } = operation as { table?: unknown; schema?: unknown };
  return typeof table === 'string'
    ? tableKey(typeof schema === 'string' ? schema : undefined, table)
    : undefined;
}

/** The operations with each table's run of changes in one batch (a lone change stays as it is). */
export function batchTableChanges(operations: readonly Operation[]): Operation[] {
  const out: (Operation | TableChange[])[] = [];
  const open = new Map<string, { readonly changes: TableChange[]; readonly openedAt: number }>();
  // Where each table was last touched, for a foreign key that must not move before a change to the table it
  // references (the unique key it needs, added later, is checked when the batch copies the table).
  const touchedAt = new Map<string, number>();
  operations.forEach((operation, index) => {
    if (isBatchable(operation)) {
      const key = tableKey(operation.schema, operation.table);
      const group = open.get(key);
      const referenced =
        operation.kind === 'createForeignKey'
          ? tableKey(operation.references.schema ?? operation.schema, operation.references.table)
          : undefined;
      const movesPast =
        group !== undefined &&
        referenced !== undefined &&
        referenced !== key &&
        (touchedAt.get(referenced) ?? -1) > group.openedAt;
      if (group !== undefined && !movesPast) group.changes.push(operation);
      else {
        const changes = [operation];
        open.set(key, { changes, openedAt: index });
        out.push(changes);
      }
      touchedAt.set(key, index);
      return;
    }
    const key = touched(operation);
    if (key === '*') open.clear();
    else if (key !== undefined) {
      open.delete(key);
      touchedAt.set(key, index);
    }
    // A renamed table's changes under its new name start a group of their own.
    if (operation.kind === 'renameTable') open.delete(tableKey(operation.schema, operation.newName));
    out.push(operation);
  });
  return out.flatMap((item) => (Array.isArray(item) ? (item.length === 1 ? item : [batchOf(item)]) : [item]));
}

/** One table's changes as one batch. */
export function batchOf(group: readonly TableChange[]): BatchAlterTableOperation {
  const first = group[0]!;
  return Object.freeze({
    kind: 'batchAlterTable' as const,
    ...(first.schema === undefined ? {} : { schema: first.schema }),
    table: first.table,
    operations: Object.freeze([...group]),
  });
}
