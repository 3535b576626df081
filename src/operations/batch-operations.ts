/**
 * `op.batchAlterTable(table, (batch) => { … })` (Alembic's `batch_alter_table`): several changes to one table as one
 * operation. SQLite, which alters little in place, applies them with one "move and copy" of the table instead of
 * one per change; the other databases run them one after another.
 */
import type { TableDefinition, TableDefinitionInput } from './definitions.js';
import { normalizeTableDefinition } from './definitions.js';
import {
  type CreateCheckConstraintOperation,
  type CreateExcludeConstraintOperation,
  type CreateForeignKeyOperation,
  type CreateIndexOperation,
  type CreatePrimaryKeyOperation,
  type CreateUniqueConstraintOperation,
  type DropConstraintOperation,
  type DropIndexOperation,
  type IndexDefinition,
  type IndexDefinitionInput,
  indexBuilders,
} from './index-operations.js';
import {
  type AddColumnOperation,
  type AlterColumnOperation,
  type DropColumnOperation,
  type SchemaOption,
  type SetTableCommentOperation,
  tableBuilders,
} from './table-operations.js';
import {
  checkName,
  checkOneOf,
  checkOptionalName,
  checkOptions,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

/** What a batch may hold: changes to its table's definition (Alembic's `batch_op` methods). */
export type BatchTableOperation =
  | AddColumnOperation
  | DropColumnOperation
  | AlterColumnOperation
  | SetTableCommentOperation
  | CreateIndexOperation
  | DropIndexOperation
  | CreatePrimaryKeyOperation
  | CreateForeignKeyOperation
  | CreateUniqueConstraintOperation
  | CreateCheckConstraintOperation
  | CreateExcludeConstraintOperation
  | DropConstraintOperation;

// A record, so that a kind added to BatchTableOperation and not here is a compile error.
const BATCH_TABLE_KINDS: Readonly<Record<BatchTableOperation['kind'], true>> = {
  addColumn: true,
  dropColumn: true,
  alterColumn: true,
  setTableComment: true,
  createIndex: true,
  dropIndex: true,
  createPrimaryKey: true,
  createForeignKey: true,
  createUniqueConstraint: true,
  createCheckConstraint: true,
  createExcludeConstraint: true,
  dropConstraint: true,
};

/** Whether an operation is one a batch may hold: a change to one table's definition. */
export function isBatchTableOperation(operation: {
  readonly kind: string;
}): operation is BatchTableOperation {
  return Object.hasOwn(BATCH_TABLE_KINDS, operation.kind);
}

/**
 * When SQLite rebuilds the table (Alembic's `recreate`): `'auto'` when one of the changes needs it (the others are
 * then folded into the same copy), `'always'`, or `'never'` (a change that needs it is then an error). The other
 * databases alter in place and take only `'auto'` and `'never'`.
 */
export type BatchRecreate = 'auto' | 'always' | 'never';

/** An index of the table as it is, for {@link BatchExistingTable}. */
export interface BatchExistingIndex extends Omit<IndexDefinition, 'table'> {
  readonly name: string;
}

/**
 * The table as it is before the batch (Alembic's `copy_from`): what a rebuild copies when it cannot read the
 * table from the database, in an offline (`--sql`) run. Its indexes are those the rebuild creates again.
 */
export interface BatchExistingTable extends TableDefinition {
  readonly indexes?: readonly BatchExistingIndex[];
}

export interface BatchAlterTableOperation {
  readonly kind: 'batchAlterTable';
  readonly schema?: string;
  readonly table: string;
  /** The changes, in the order they were recorded; each names the batch's table (and schema). */
  readonly operations: readonly BatchTableOperation[];
  readonly recreate?: BatchRecreate;
  readonly existing?: BatchExistingTable;
}

export type BatchExistingIndexInput = Omit<IndexDefinitionInput, 'table'> & { readonly name: string };

export interface BatchExistingTableInput extends TableDefinitionInput {
  readonly indexes?: readonly BatchExistingIndexInput[];
}

export interface BatchAlterTableOptions extends SchemaOption {
  /** When SQLite rebuilds the table; default `'auto'`. */
  readonly recreate?: BatchRecreate;
  /**
   * The table's definition as it is before the batch (Alembic's `copy_from`). Needed on SQLite in `--sql` mode
   * when the batch rebuilds the table, unless the schema module can serve (see docs/operations.md).
   */
  readonly existing?: BatchExistingTableInput;
}

type TableBuilders = typeof tableBuilders;
type IndexBuilders = typeof indexBuilders;

/** The options of a builder, without `schema` (the batch's) and without the table (for dropIndex). */
type BatchOptions<T> = Omit<NonNullable<T>, 'schema' | 'table'>;

/**
 * The `batch` argument of `op.batchAlterTable()`'s callback: the table operations of `op`, without the table (and
 * schema) arguments, which are the batch's. Each call records a change; none runs until the batch does.
 */
export interface BatchOperations {
  addColumn(
    column: Parameters<TableBuilders['addColumn']>[1],
    options?: BatchOptions<Parameters<TableBuilders['addColumn']>[2]>,
  ): void;
  dropColumn(column: string, options?: BatchOptions<Parameters<TableBuilders['dropColumn']>[2]>): void;
  alterColumn(column: string, options: BatchOptions<Parameters<TableBuilders['alterColumn']>[2]>): void;
  setTableComment(
    comment: string | null,
    options?: BatchOptions<Parameters<TableBuilders['setTableComment']>[2]>,
  ): void;
  createIndex(
    name: string,
    columns: Parameters<IndexBuilders['createIndex']>[2],
    options?: BatchOptions<Parameters<IndexBuilders['createIndex']>[3]>,
  ): void;
  dropIndex(name: string, options?: BatchOptions<Parameters<IndexBuilders['dropIndex']>[1]>): void;
  createPrimaryKey(
    name: string,
    columns: readonly string[],
    options?: BatchOptions<Parameters<IndexBuilders['createPrimaryKey']>[3]>,
  ): void;
  createForeignKey(
    name: string,
    columns: readonly string[],
    references: Parameters<IndexBuilders['createForeignKey']>[3],
    options?: BatchOptions<Parameters<IndexBuilders['createForeignKey']>[4]>,
  ): void;
  createUniqueConstraint(
    name: string,
    columns: readonly string[],
    options?: BatchOptions<Parameters<IndexBuilders['createUniqueConstraint']>[3]>,
  ): void;
  createCheckConstraint(
    name: string,
    expression: Parameters<IndexBuilders['createCheckConstraint']>[2],
    options?: BatchOptions<Parameters<IndexBuilders['createCheckConstraint']>[3]>,
  ): void;
  createExcludeConstraint(
    name: string,
    elements: Parameters<IndexBuilders['createExcludeConstraint']>[2],
    options?: BatchOptions<Parameters<IndexBuilders['createExcludeConstraint']>[3]>,
  ): void;
  dropConstraint(name: string, options?: BatchOptions<Parameters<IndexBuilders['dropConstraint']>[2]>): void;
}

const OP = 'batchAlterTable';
const RECREATE: readonly BatchRecreate[] = ['auto', 'always', 'never'];

/** The batch's options for one change: its own, with the batch's schema; a schema or table of its own is refused. */
function scoped<T extends object>(
  method: string,
  options: T | undefined,
  schema: string | undefined,
  table?: string,
): T {
  const o = checkOptions(`${OP}: batch.${method}`, options) as Record<string, unknown>;
  for (const key of ['schema', 'table'] as const) {
    if (o[key] !== undefined) {
      throw invalidOperation(
        OP,
        `batch.${method}() takes no ${key}: every change of a batch is on the batch's table`,
        `Give the schema to op.batchAlterTable(), or make the change with op.${method}() outside the batch.`,
      );
    }
  }
  return compact({ ...o, schema, table }) as T;
}

/** The recorder handed to the callback: it builds each change at once, so bad arguments fail where they are. */
function recorder(
  table: string,
  schema: string | undefined,
): { readonly batch: BatchOperations; readonly recorded: BatchTableOperation[]; close(): void } {
  const recorded: BatchTableOperation[] = [];
  let open = true;
  const record = (method: string, operation: () => BatchTableOperation): void => {
    if (!open) {
      throw invalidOperation(
        OP,
        `batch.${method}() was called after the callback returned`,
        'Record every change inside the callback, synchronously (without awaiting anything).',
      );
    }
    recorded.push(operation());
  };
  const t = tableBuilders;
  const i = indexBuilders;
  const batch: BatchOperations = {
    addColumn: (column, options) =>
      record('addColumn', () => t.addColumn(table, column, scoped('addColumn', options, schema))),
    dropColumn: (column, options) =>
      record('dropColumn', () => t.dropColumn(table, column, scoped('dropColumn', options, schema))),
    alterColumn: (column, options) =>
      record('alterColumn', () => t.alterColumn(table, column, scoped('alterColumn', options, schema))),
    setTableComment: (comment, options) =>
      record('setTableComment', () =>
        t.setTableComment(table, comment, scoped('setTableComment', options, schema)),
      ),
    createIndex: (name, columns, options) =>
      record('createIndex', () =>
        i.createIndex(name, table, columns, scoped('createIndex', options, schema)),
      ),
    dropIndex: (name, options) =>
      record('dropIndex', () => i.dropIndex(name, scoped('dropIndex', options, schema, table))),
    createPrimaryKey: (name, columns, options) =>
      record('createPrimaryKey', () =>
        i.createPrimaryKey(name, table, columns, scoped('createPrimaryKey', options, schema)),
      ),
    createForeignKey: (name, columns, references, options) =>
      record('createForeignKey', () =>
        i.createForeignKey(name, table, columns, references, scoped('createForeignKey', options, schema)),
      ),
    createUniqueConstraint: (name, columns, options) =>
      record('createUniqueConstraint', () =>
        i.createUniqueConstraint(name, table, columns, scoped('createUniqueConstraint', options, schema)),
      ),
    createCheckConstraint: (name, expression, options) =>
      record('createCheckConstraint', () =>
        i.createCheckConstraint(name, table, expression, scoped('createCheckConstraint', options, schema)),
      ),
    createExcludeConstraint: (name, elements, options) =>
      record('createExcludeConstraint', () =>
        i.createExcludeConstraint(name, table, elements, scoped('createExcludeConstraint', options, schema)),
      ),
    dropConstraint: (name, options) =>
      record('dropConstraint', () =>
        i.dropConstraint(name, table, scoped('dropConstraint', options, schema)),
      ),
  };
  return {
    batch: Object.freeze(batch),
    recorded,
    close: () => {
      open = false;
    },
  };
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `existing`: a table definition, with the indexes a rebuild creates again. */
function normalizeExisting(table: string, input: unknown): BatchExistingTable {
  if (!isPlainObject(input)) throw invalidOperation(OP, 'existing must be a table definition object');
  const { indexes, ...definition } = input as unknown as BatchExistingTableInput;
  if (indexes !== undefined && !Array.isArray(indexes)) {
    throw invalidOperation(OP, 'existing.indexes must be an array of index definitions');
  }
  const normalized = normalizeTableDefinition(OP, definition, 'existing');
  return compact({
    ...normalized,
    indexes: indexes?.map((index, position): BatchExistingIndex => {
      if (!isPlainObject(index)) {
        throw invalidOperation(OP, `existing.indexes[${position}] must be an index definition object`);
      }
      // The index builder validates the definition; what it adds beyond one is left out.
      const { name, columns, ...options } = index as BatchExistingIndexInput;
      const built = indexBuilders.createIndex(name, table, columns, options);
      const { kind: _k, schema: _s, table: _t, concurrently: _c, ifNotExists: _i, ...rest } = built;
      return rest;
    }),
  });
}

export const batchBuilders = {
  /**
   * Several changes to one table, recorded by `record` on the `batch` object it is given (`batch.addColumn(…)`,
   * `batch.alterColumn(…)`…: `op`'s table operations without the table argument), run as one operation.
   * SQLite applies them with one "move and copy" of the table (Alembic's batch mode); the other databases run
   * them one after another. The callback must record synchronously: it is not awaited.
   */
  batchAlterTable(
    table: string,
    record: (batch: BatchOperations) => void,
    options?: BatchAlterTableOptions,
  ): BatchAlterTableOperation {
    const o = checkOptions(OP, options);
    const name = checkName(OP, 'table', table);
    const schema = checkOptionalName(OP, 'schema', o.schema);
    if (typeof record !== 'function') {
      throw invalidOperation(
        OP,
        'the second argument must be a function that records the changes on `batch`',
      );
    }
    const recording = recorder(name, schema);
    let returned: unknown;
    try {
      returned = record(recording.batch);
    } finally {
      recording.close();
    }
    if (isThenable(returned)) {
      // An async callback would record the changes after its first await, when the batch has been built.
      (returned as Promise<unknown>).then(undefined, () => {});
      throw invalidOperation(
        OP,
        'the callback returned a promise: it records the changes and must not be async',
        'Call batch.addColumn(…) and the others without await; the batch runs them when op.batchAlterTable() does.',
      );
    }
    if (recording.recorded.length === 0) {
      throw invalidOperation(OP, `the callback recorded no change to table ${JSON.stringify(name)}`);
    }
    return deepFreeze(
      compact({
        kind: 'batchAlterTable' as const,
        schema,
        table: name,
        operations: recording.recorded,
        recreate: checkOneOf(OP, 'recreate', o.recreate, RECREATE),
        existing: o.existing === undefined ? undefined : normalizeExisting(name, o.existing),
      }),
    );
  },
};
