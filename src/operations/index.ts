/**
 * Operations as immutable data (one file per family), their reversal, and the `op` facade migrations receive.
 */
export type {
  BatchAlterTableOperation,
  BatchAlterTableOptions,
  BatchExistingIndex,
  BatchExistingIndexInput,
  BatchExistingTable,
  BatchExistingTableInput,
  BatchOperations,
  BatchRecreate,
  BatchTableOperation,
} from './batch-operations.js';
export type { OperationBuilders } from './builders.js';
export { operationBuilders } from './builders.js';
export type {
  BeginAutocommitOperation,
  BulkInsertOperation,
  BulkInsertOptions,
  EndAutocommitOperation,
  ExecuteOperation,
} from './data-operations.js';
export type {
  CheckConstraint,
  ColumnDefault,
  ColumnDefinition,
  ColumnInput,
  ColumnReference,
  ColumnReferenceInput,
  ColumnSpecInput,
  ColumnValue,
  Deferrable,
  ExcludeConstraint,
  ExcludeElement,
  ExcludeElementInput,
  ForeignKeyActions,
  ForeignKeyConstraint,
  ForeignKeyMatch,
  GeneratedKind,
  Identity,
  IdentityGeneration,
  IdentityInput,
  IndexElement,
  IndexElementInput,
  MysqlTableOptions,
  NullsOrder,
  PrimaryKeyConstraint,
  ReferencedColumns,
  ReferentialAction,
  SequenceParameters,
  SortOrder,
  SqliteTableOptions,
  TableConstraint,
  TableConstraintInput,
  TableDefinition,
  TableDefinitionInput,
  UniqueConstraint,
} from './definitions.js';
export type {
  CreateFunctionOperation,
  CreateFunctionOptions,
  CreateTriggerOperation,
  CreateTriggerOptions,
  DropFunctionOperation,
  DropFunctionOptions,
  DropTriggerOperation,
  DropTriggerOptions,
  FunctionDefinition,
  FunctionDefinitionInput,
  FunctionParameter,
  ParameterMode,
  TriggerDefinition,
  TriggerDefinitionInput,
  TriggerEvent,
  TriggerTiming,
} from './function-operations.js';
export type {
  CreateCheckConstraintOperation,
  CreateConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreateIndexOptions,
  CreatePrimaryKeyOperation,
  CreateUniqueConstraintOperation,
  DropConstraintOperation,
  DropIndexOperation,
  DropIndexOptions,
  IndexDefinition,
  IndexDefinitionInput,
} from './index-operations.js';
export type { Operation, OperationKind, OperationOf } from './operation.js';
export { OPERATION_KINDS } from './operation.js';
export type { DatabaseKind, MigrationModule, Operations, OperationsContext } from './operations.js';
export { createOperations, settleOperations } from './operations.js';
export { isReversible, reverseOperation, reverseOperations } from './reverse.js';
export type {
  CreateExtensionOperation,
  CreateSchemaOperation,
  DropExtensionOperation,
  DropSchemaOperation,
} from './schema-operations.js';
export type {
  AlterSequenceOperation,
  CreateSequenceOperation,
  DropSequenceOperation,
  SequenceDefinition,
  SequenceOwner,
} from './sequence-operations.js';
export type {
  SqlExpression,
  SqlFragment,
  SqlIdentifier,
  SqlTag,
  SqlValueFragment,
} from './sql-expression.js';
export { isSqlExpression, sql } from './sql-expression.js';
export type {
  AddColumnOperation,
  AlterColumnOperation,
  AlterColumnOptions,
  CreateTableOperation,
  CreateTableOptions,
  DropColumnOperation,
  DropTableOperation,
  RenameTableOperation,
  SchemaOption,
  SetTableCommentOperation,
} from './table-operations.js';
export type {
  AddEnumValueOperation,
  CreateEnumOperation,
  DropEnumOperation,
  RenameEnumValueOperation,
} from './type-operations.js';
export type {
  CreateMaterializedViewOperation,
  CreateViewOperation,
  DropMaterializedViewOperation,
  DropViewOperation,
  RefreshMaterializedViewOperation,
  ViewDefinition,
} from './view-operations.js';
