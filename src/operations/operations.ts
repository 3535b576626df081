/**
 * The `op` argument of a migration's `upgrade()` and `downgrade()`. Operations run in the order they are called,
 * awaited or not; online they run against the database, offline (`--sql`) they are written to the script.
 */
export interface Operations {
  /** Runs a SQL statement (or, offline, writes it to the script). */
  execute(sql: string): Promise<void>;
}

/** The module shape of a TypeScript migration file. */
export interface MigrationModule {
  readonly revision: string;
  readonly downRevision: string | readonly string[] | null;
  readonly branchLabels?: string | readonly string[] | null;
  readonly dependsOn?: string | readonly string[] | null;
  /** `false` runs the migration outside a transaction. */
  readonly transaction?: boolean;
  upgrade(op: Operations): Promise<void> | void;
  downgrade(op: Operations): Promise<void> | void;
}
