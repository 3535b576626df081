/**
 * ambix: database schema migrations for TypeScript. Every CLI command is a function here that returns a typed
 * result and never prints or exits; failures are thrown as AmbixError.
 */

export type { Comparison, Renames, SchemaDifference } from './autogenerate/compare.js';
export { compareSchemas } from './autogenerate/compare.js';
export type { RenameCandidate, RenamePolicy } from './autogenerate/renames.js';
// Commands
export type { AssertUpToDateOptions, UpToDateResult } from './commands/assert-up-to-date.js';
export { assertUpToDate } from './commands/assert-up-to-date.js';
export type {
  AutogenerateRevisionOptions,
  AutogenerateRevisionResult,
} from './commands/autogenerate-revision.js';
export { autogenerateRevision } from './commands/autogenerate-revision.js';
export type { BranchesOptions, BranchesResult, BranchPoint } from './commands/branches.js';
export { branches } from './commands/branches.js';
export type { CheckResult } from './commands/check.js';
export { check } from './commands/check.js';
export type { CreatedRevision } from './commands/create-revision.js';
export type { CurrentHead, CurrentOptions, CurrentResult } from './commands/current.js';
export { current } from './commands/current.js';
export type { DowngradeOptions, DowngradeResult } from './commands/downgrade.js';
export { downgrade } from './commands/downgrade.js';
export type { EditOptions, EditResult } from './commands/edit.js';
export { edit } from './commands/edit.js';
export type { EnsureVersionOptions, EnsureVersionResult } from './commands/ensure-version.js';
export { ensureVersion } from './commands/ensure-version.js';
export type { GraphFormat, GraphOptions, GraphResult } from './commands/graph.js';
export { graph } from './commands/graph.js';
export type { HeadsOptions, HeadsResult } from './commands/heads.js';
export { heads } from './commands/heads.js';
export type { HistoryOptions, HistoryResult } from './commands/history.js';
export { history } from './commands/history.js';
export type { InitOptions, InitResult, ListTemplatesResult } from './commands/init.js';
export { init, listTemplates } from './commands/init.js';
export type { MergeOptions, MergeResult } from './commands/merge.js';
export { merge } from './commands/merge.js';
export type { Project } from './commands/project.js';
export { loadProject } from './commands/project.js';
export type { ResolveOptions, ResolveResult } from './commands/resolve.js';
export { resolve } from './commands/resolve.js';
export type { RevisionOptions, RevisionResult } from './commands/revision.js';
export { revision } from './commands/revision.js';
export type { SchemaDiff, SchemaDiffOptions } from './commands/schema-diff.js';
export { schemaDiff } from './commands/schema-diff.js';
export type { SchemaPullOptions, SchemaPullResult } from './commands/schema-pull.js';
export { schemaPull } from './commands/schema-pull.js';
export type { ShowOptions, ShowResult } from './commands/show.js';
export { show } from './commands/show.js';
export type { StampOptions, StampResult } from './commands/stamp.js';
export { stamp } from './commands/stamp.js';
export type { ChangedFile, StatusOptions, StatusResult, StatusRevision } from './commands/status.js';
export { status } from './commands/status.js';
export type { RevisionSummary } from './commands/summary.js';
export type { UpgradeOptions, UpgradeResult } from './commands/upgrade.js';
export { upgrade } from './commands/upgrade.js';
// Configuration
export type {
  AmbixConfig,
  AmbixConfigExport,
  AmbixSettings,
  AutogenerateSettings,
  CompareColumnContext,
  ConfigContext,
  PgliteSettings,
  ResolveConfigOptions,
  ResolvedConfig,
  SessionSettings,
} from './config/index.js';
export { defineConfig, loadDotEnv, resolveConfig } from './config/index.js';
// Errors
export type { AmbixErrorCode, AmbixErrorOptions } from './errors.js';
export { AmbixError, isAmbixError, UsageError } from './errors.js';
// The revision graph
export type {
  MigrationStep,
  PlanStep,
  Revision,
  RevisionInput,
  RevisionMap,
  StampStep,
  VersionTableChange,
} from './graph/index.js';
export {
  applyStep,
  buildRevisionMap,
  planDowngrade,
  planStamp,
  planUpgrade,
  resolveRevision,
  resolveRevisions,
  revisionRange,
} from './graph/index.js';
// Operations: what migrations receive as `op`, as data
export type {
  AddColumnOperation,
  AddEnumValueOperation,
  AlterColumnOperation,
  AlterColumnOptions,
  AlterSequenceOperation,
  BatchAlterTableOperation,
  BatchAlterTableOptions,
  BatchExistingTable,
  BatchExistingTableInput,
  BatchOperations,
  BatchRecreate,
  BatchTableOperation,
  BeginAutocommitOperation,
  BulkInsertOperation,
  BulkInsertOptions,
  CheckConstraint,
  ColumnDefault,
  ColumnDefinition,
  ColumnInput,
  ColumnReference,
  ColumnReferenceInput,
  ColumnSpecInput,
  ColumnValue,
  CreateCheckConstraintOperation,
  CreateConstraintOperation,
  CreateEnumOperation,
  CreateExcludeConstraintOperation,
  CreateExtensionOperation,
  CreateForeignKeyOperation,
  CreateFunctionOperation,
  CreateFunctionOptions,
  CreateIndexOperation,
  CreateIndexOptions,
  CreateMaterializedViewOperation,
  CreatePrimaryKeyOperation,
  CreateSchemaOperation,
  CreateSequenceOperation,
  CreateTableOperation,
  CreateTableOptions,
  CreateTriggerOperation,
  CreateTriggerOptions,
  CreateUniqueConstraintOperation,
  CreateViewOperation,
  DatabaseKind,
  Deferrable,
  DropColumnOperation,
  DropConstraintOperation,
  DropEnumOperation,
  DropExtensionOperation,
  DropFunctionOperation,
  DropFunctionOptions,
  DropIndexOperation,
  DropIndexOptions,
  DropMaterializedViewOperation,
  DropSchemaOperation,
  DropSequenceOperation,
  DropTableOperation,
  DropTriggerOperation,
  DropTriggerOptions,
  DropViewOperation,
  EndAutocommitOperation,
  ExcludeConstraint,
  ExcludeElement,
  ExcludeElementInput,
  ExecuteOperation,
  ForeignKeyActions,
  ForeignKeyConstraint,
  ForeignKeyMatch,
  FunctionDefinition,
  FunctionDefinitionInput,
  FunctionParameter,
  GeneratedKind,
  Identity,
  IdentityGeneration,
  IdentityInput,
  IndexDefinition,
  IndexDefinitionInput,
  IndexElement,
  IndexElementInput,
  MigrationModule,
  MysqlTableOptions,
  NullsOrder,
  Operation,
  OperationBuilders,
  OperationKind,
  OperationOf,
  Operations,
  OperationsContext,
  ParameterMode,
  PrimaryKeyConstraint,
  ReferencedColumns,
  ReferentialAction,
  RefreshMaterializedViewOperation,
  RenameEnumValueOperation,
  RenameTableOperation,
  SchemaOption,
  SequenceDefinition,
  SequenceOwner,
  SequenceParameters,
  SetTableCommentOperation,
  SortOrder,
  SqlExpression,
  SqlFragment,
  SqlIdentifier,
  SqliteTableOptions,
  SqlTag,
  SqlValueFragment,
  TableConstraint,
  TableConstraintInput,
  TableDefinition,
  TableDefinitionInput,
  TriggerDefinition,
  TriggerDefinitionInput,
  TriggerEvent,
  TriggerTiming,
  UniqueConstraint,
  ViewDefinition,
} from './operations/index.js';
export {
  createOperations,
  isReversible,
  isSqlExpression,
  OPERATION_KINDS,
  operationBuilders,
  reverseOperation,
  reverseOperations,
  settleOperations,
  sql,
} from './operations/index.js';
// Running migrations
export type { DatabaseOptions } from './runtime/database.js';
export type { MigrateOptions, MigrateResult } from './runtime/migrate.js';
export type { ProgressEvent, ProgressListener, StepDirection, StepInfo } from './runtime/progress.js';
export type { CompletedStep } from './runtime/run-steps.js';
export type { ApplicationConnection } from './runtime/session.js';

// Migration files
export type { MigrationFormat, MigrationScript, PostWriteHook } from './scripts/index.js';
export { scanMigrations } from './scripts/index.js';
