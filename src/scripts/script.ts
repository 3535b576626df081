import type { RevisionInput } from '../graph/revision.js';

/** How a migration file is written: TypeScript (`.ts`, `.mts`), JavaScript (`.js`, `.mjs`) or plain SQL. */
export type MigrationFormat = 'ts' | 'js' | 'sql';

/** One migration file on disk, as read from its header without running it. */
export interface MigrationScript extends RevisionInput {
  /** Absolute path of the file. */
  readonly path: string;
  readonly format: MigrationFormat;
  /** Whether the migration runs inside a transaction (`transaction = false` opts out). Default true. */
  readonly transaction: boolean;
  /** The whole leading doc comment, without its comment markers. */
  readonly doc?: string;
}
