/**
 * ambix: database schema migrations for TypeScript. Every CLI command is a function here that returns a typed
 * result and never prints or exits; failures are thrown as AmbixError.
 */

// Commands
export type { BranchesOptions, BranchesResult, BranchPoint } from './commands/branches.js';
export { branches } from './commands/branches.js';
export type { CreatedRevision } from './commands/create-revision.js';
export type { EditOptions, EditResult } from './commands/edit.js';
export { edit } from './commands/edit.js';
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
export type { RevisionOptions, RevisionResult } from './commands/revision.js';
export { revision } from './commands/revision.js';
export type { ShowOptions, ShowResult } from './commands/show.js';
export { show } from './commands/show.js';
export type { RevisionSummary } from './commands/summary.js';

// Configuration
export type {
  AmbixConfig,
  AmbixConfigExport,
  AmbixSettings,
  ConfigContext,
  ResolveConfigOptions,
  ResolvedConfig,
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

// Migration files
export type { MigrationModule, Operations } from './operations/operations.js';
export type { MigrationFormat, MigrationScript, PostWriteHook } from './scripts/index.js';
export { scanMigrations } from './scripts/index.js';
