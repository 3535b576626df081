/**
 * Operations are data: `op.addColumn(...)` builds a frozen `{ kind: 'addColumn', ... }` object and hands it to the
 * runtime. The same objects serve online runs, offline (`--sql`) scripts, reversal and autogenerate.
 */
import type { BatchAlterTableOperation } from './batch-operations.js';
import type {
  BeginAutocommitOperation,
  BulkInsertOperation,
  EndAutocommitOperation,
  ExecuteOperation,
} from './data-operations.js';
import type {
  CreateFunctionOperation,
  CreateTriggerOperation,
  DropFunctionOperation,
  DropTriggerOperation,
} from './function-operations.js';
import type {
  CreateCheckConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreatePrimaryKeyOperation,
  CreateUniqueConstraintOperation,
  DropConstraintOperation,
  DropIndexOperation,
} from './index-operations.js';
import type {
  CreateExtensionOperation,
  CreateSchemaOperation,
  DropExtensionOperation,
  DropSchemaOperation,
} from './schema-operations.js';
import type {
  AlterSequenceOperation,
  CreateSequenceOperation,
  DropSequenceOperation,
} from './sequence-operations.js';
import type {
  AddColumnOperation,
  AlterColumnOperation,
  CreateTableOperation,
  DropColumnOperation,
  DropTableOperation,
  RenameTableOperation,
  SetTableCommentOperation,
} from './table-operations.js';
import type {
  AddEnumValueOperation,
  CreateEnumOperation,
  DropEnumOperation,
  RenameEnumValueOperation,
} from './type-operations.js';
import type {
  CreateMaterializedViewOperation,
  CreateViewOperation,
  DropMaterializedViewOperation,
  DropViewOperation,
  RefreshMaterializedViewOperation,
} from './view-operations.js';

export type Operation =
  // tables and columns
  | CreateTableOperation
  | DropTableOperation
  | RenameTableOperation
  | SetTableCommentOperation
  | AddColumnOperation
  | DropColumnOperation
  | AlterColumnOperation
  // indexes and constraints
  | CreateIndexOperation
  | DropIndexOperation
  | CreatePrimaryKeyOperation
  | CreateForeignKeyOperation
  | CreateUniqueConstraintOperation
  | CreateCheckConstraintOperation
  | CreateExcludeConstraintOperation
  | DropConstraintOperation
  // several changes to one table
  | BatchAlterTableOperation
  // types, schemas, extensions, sequences
  | CreateEnumOperation
  | DropEnumOperation
  | AddEnumValueOperation
  | RenameEnumValueOperation
  | CreateSchemaOperation
  | DropSchemaOperation
  | CreateExtensionOperation
  | DropExtensionOperation
  | CreateSequenceOperation
  | AlterSequenceOperation
  | DropSequenceOperation
  // views, functions, triggers
  | CreateViewOperation
  | DropViewOperation
  | CreateMaterializedViewOperation
  | DropMaterializedViewOperation
  | RefreshMaterializedViewOperation
  | CreateFunctionOperation
  | DropFunctionOperation
  | CreateTriggerOperation
  | DropTriggerOperation
  // data and transactions
  | ExecuteOperation
  | BulkInsertOperation
  | BeginAutocommitOperation
  | EndAutocommitOperation;

export type OperationKind = Operation['kind'];

/** The operation of one kind: `OperationOf<'addColumn'>` is `AddColumnOperation`. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { readonly kind: K }>;

// A record, so that a kind added to the union above and not here is a compile error.
const KINDS: Record<OperationKind, true> = {
  createTable: true,
  dropTable: true,
  renameTable: true,
  setTableComment: true,
  addColumn: true,
  dropColumn: true,
  alterColumn: true,
  createIndex: true,
  dropIndex: true,
  createPrimaryKey: true,
  createForeignKey: true,
  createUniqueConstraint: true,
  createCheckConstraint: true,
  createExcludeConstraint: true,
  dropConstraint: true,
  batchAlterTable: true,
  createEnum: true,
  dropEnum: true,
  addEnumValue: true,
  renameEnumValue: true,
  createSchema: true,
  dropSchema: true,
  createExtension: true,
  dropExtension: true,
  createSequence: true,
  alterSequence: true,
  dropSequence: true,
  createView: true,
  dropView: true,
  createMaterializedView: true,
  dropMaterializedView: true,
  refreshMaterializedView: true,
  createFunction: true,
  dropFunction: true,
  createTrigger: true,
  dropTrigger: true,
  execute: true,
  bulkInsert: true,
  beginAutocommit: true,
  endAutocommit: true,
};

/** Every operation kind. */
export const OPERATION_KINDS: readonly OperationKind[] = Object.freeze(Object.keys(KINDS) as OperationKind[]);
