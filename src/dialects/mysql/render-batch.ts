/**
 * `op.batchAlterTable()` on MySQL: the changes one after another. MySQL restates a whole column to alter it, from
 * the table as reflected before the batch; a change after another one to the same column must restate the column
 * as that one left it, so the batch carries forward what its changes made of each column.
 */
import type { BatchTableOperation } from '../../operations/batch-operations.js';
import type { ColumnDefault } from '../../operations/definitions.js';
import type { OperationOf } from '../../operations/operation.js';
import type { ColumnModel, TableModel } from '../../schema/model.js';
import { renderBatchInPlace } from '../batch-in-place.js';
import type { RenderContext, Sql, TableReference } from '../dialect.js';
import { defaultValue } from './render-column.js';

/** What the batch's changes so far have made of a column: the fields a restatement needs, where they said. */
interface KnownColumn {
  readonly type?: string;
  readonly nullable?: boolean;
  readonly default?: ColumnDefault | null;
  readonly comment?: string | null;
}

const prefer = <T>(known: T | undefined, given: T | undefined): T | undefined =>
  known !== undefined ? known : given;

/** An alterColumn that restates the column as the batch has left it (it wins over `existing…`, which is older). */
function withKnown(
  op: OperationOf<'alterColumn'>,
  known: KnownColumn | undefined,
): OperationOf<'alterColumn'> {
  if (known === undefined) return op;
  return {
    ...op,
    existingType: prefer(known.type, op.existingType),
    existingNullable: prefer(known.nullable, op.existingNullable),
    existingDefault: prefer(known.default, op.existingDefault),
    existingComment: prefer(known.comment, op.existingComment),
  };
}

/** A reflected column as the batch's changes so far have left it (the reflection wins over `existing…`). */
function withKnownParts(column: ColumnModel, known: KnownColumn | undefined): ColumnModel {
  if (known === undefined) return column;
  const { default: _default, comment: _comment, ...rest } = column;
  const defaultText =
    known.default === undefined
      ? column.default
      : known.default === null
        ? undefined
        : defaultValue(known.default);
  const comment = known.comment === undefined ? column.comment : (known.comment ?? undefined);
  return {
    ...rest,
    type: known.type ?? column.type,
    nullable: known.nullable ?? column.nullable,
    ...(defaultText === undefined ? {} : { default: defaultText }),
    ...(comment === undefined ? {} : { comment }),
  };
}

export function batchAlterTable(
  batch: OperationOf<'batchAlterTable'>,
  context: RenderContext | undefined,
  render: (operation: BatchTableOperation, context: RenderContext | undefined) => Sql[],
): Sql[] {
  const known = new Map<string, KnownColumn>();
  // Reflected name -> the name the batch has given the column (null: dropped).
  const names = new Map<string, string | null>();
  const currentName = (reflected: string): string | null => {
    const name = names.get(reflected);
    return name === undefined ? reflected : name;
  };
  const reflectedName = (current: string): string =>
    [...names.entries()].find(([, name]) => name === current)?.[0] ?? current;
  // The table as the batch's changes so far leave its columns' names.
  const threaded: RenderContext | undefined =
    context === undefined
      ? undefined
      : {
          ...context,
          table: (schema, name): TableModel | undefined => {
            const table = context.table(schema, name);
            if (table === undefined || name !== batch.table || (names.size === 0 && known.size === 0))
              return table;
            return {
              ...table,
              columns: table.columns.flatMap((column) => {
                const current = currentName(column.name);
                return current === null
                  ? []
                  : [withKnownParts({ ...column, name: current }, known.get(current))];
              }),
            };
          },
        };
  return renderBatchInPlace(batch, 'MySQL', (op) => {
    const statements = render(op.kind === 'alterColumn' ? withKnown(op, known.get(op.column)) : op, threaded);
    if (op.kind === 'addColumn') {
      const column = op.column;
      known.set(column.name, {
        type: column.type,
        nullable: column.nullable ?? column.primaryKey !== true,
        default: column.default ?? null,
        comment: column.comment ?? null,
      });
    } else if (op.kind === 'dropColumn') {
      known.delete(op.column);
      names.set(reflectedName(op.column), null);
    } else if (op.kind === 'alterColumn') {
      const before = known.get(op.column) ?? {};
      const after: KnownColumn = {
        type: op.type ?? before.type,
        nullable: op.nullable ?? before.nullable,
        default: op.default !== undefined ? op.default : before.default,
        comment: op.comment !== undefined ? op.comment : before.comment,
      };
      if (op.newName !== undefined) {
        known.delete(op.column);
        names.set(reflectedName(op.column), op.newName);
      }
      known.set(op.newName ?? op.column, after);
    }
    return statements;
  });
}

/** The batch's table when one of its changes needs the table's present definition. */
export function batchTables(
  batch: OperationOf<'batchAlterTable'>,
  tablesNeeded: (operation: BatchTableOperation) => readonly TableReference[],
): TableReference[] {
  return batch.operations.some((op) => tablesNeeded(op).length > 0)
    ? [{ schema: batch.schema, name: batch.table }]
    : [];
}
