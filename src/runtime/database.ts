import { hostname } from 'node:os';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Dialect, Sql } from '../dialects/dialect.js';
import { DIALECTS } from '../dialects/index.js';
import { KEEP_IDLE_SESSION } from '../dialects/postgres/adapter.js';
import { parseDatabaseUrl } from '../dialects/url.js';
import type { RevisionMap } from '../graph/index.js';
import { ambixVersion } from './ambix-version.js';
import {
  type Executor,
  type OfflineExecutor,
  type OfflineExecutorOptions,
  offlineExecutor,
  onlineExecutor,
} from './executor.js';
import { notifier, type ProgressListener } from './progress.js';
import type { RunSettings } from './run-steps.js';
import {
  type ApplicationConnection,
  openSession,
  type ReleaseLock,
  type Session,
  takeMigrationLock,
} from './session.js';
import {
  createHistoryTable,
  createVersionTable,
  readVersionRows,
  type StateTables,
  stateTables,
  tableExists,
} from './tables.js';

/** Options every command that talks to the database takes. */
export interface DatabaseOptions {
  /**
   * Run on this connection instead of opening the configured URL: a connected `pg.Client` (or pool client) or a
   * PGlite instance. ambix leaves it open.
   */
  readonly connection?: ApplicationConnection;
  /** Called as the command progresses: each step started and finished, lock waits, notes. */
  readonly onProgress?: ProgressListener;
}

/** What a command body gets once the database is open (and, for writers, locked and prepared). */
export interface DatabaseContext {
  readonly session: Session;
  readonly dialect: Dialect;
  readonly executor: Executor;
  readonly tables: StateTables;
  readonly onProgress: ProgressListener;
}

export interface OpenDatabaseOptions {
  /** Take the migration lock (commands that write). */
  readonly lock: boolean;
  /** Create the version and history tables when missing (commands that write). */
  readonly ensureTables: boolean;
}

/**
 * Opens the database, takes the migration lock and creates the state tables when asked, runs `body`, and releases
 * and closes everything after it, whatever happens. The session's `lockTimeout`/`statementTimeout` settings are
 * applied first (and reset afterwards on a connection that belongs to the application).
 */
export async function withDatabase<T>(
  config: ResolvedConfig,
  options: DatabaseOptions & { readonly noLock?: boolean },
  open: OpenDatabaseOptions,
  body: (context: DatabaseContext) => Promise<T>,
): Promise<T> {
  const onProgress = notifier(options.onProgress);
  const session = await openSession(config, options.connection, onProgress);
  const tables = stateTables(config);
  let release: ReleaseLock | undefined;
  const reset: Sql[] = [];
  const cleanUp = async (): Promise<void> => {
    try {
      for (const statement of reset) await session.connection.query(statement.sql).catch(() => {});
      await release?.();
    } finally {
      await session.close();
    }
  };
  let result: T;
  try {
    // The session may sit idle while the lock is awaited and the migrations load: a server or role setting
    // `idle_session_timeout` (PostgreSQL 14+) would end it before the first statement.
    if (session.owned && session.dialect.name === 'postgres')
      await session.connection.query(KEEP_IDLE_SESSION);
    if (open.lock && options.noLock !== true) {
      release = await takeMigrationLock(config, session, tables, {
        timeoutMs: config.lockTimeout,
        onProgress,
      });
    }
    const executor = onlineExecutor(session.connection, session.dialect);
    for (const statement of sessionStatements(config, session.dialect)) {
      await executor.query(statement.sql, statement.params);
    }
    if (session.owned && session.dialect.name === 'postgres') await executor.query(ABORT_WHEN_CLIENT_GONE);
    if (!session.owned) reset.push(...session.dialect.adapter.sessionReset(timeoutSettings(config)));
    if (open.ensureTables) await ensureStateTables(executor, session.dialect, tables);
    result = await body({ session, dialect: session.dialect, executor, tables, onProgress });
  } catch (error) {
    // The failure is what matters: releasing on a broken connection must not replace it.
    await cleanUp().catch(() => {});
    throw error;
  }
  await cleanUp();
  return result;
}

/**
 * A process killed mid-migration leaves its server session running the statement it sent, holding the locks of its
 * open transaction until the statement ends (a long backfill, an index build): the next run would wait behind it.
 * PostgreSQL 14+ can check for a vanished client while a statement runs; once a second is plenty.
 */
const ABORT_WHEN_CLIENT_GONE = `DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    PERFORM set_config('client_connection_check_interval', '1000', false);
  END IF;
END $$`;

function timeoutSettings(config: ResolvedConfig): { lockTimeoutMs?: number; statementTimeoutMs?: number } {
  const { lockTimeout, statementTimeout } = config.session;
  return {
    ...(lockTimeout === undefined ? {} : { lockTimeoutMs: lockTimeout }),
    ...(statementTimeout === undefined ? {} : { statementTimeoutMs: statementTimeout }),
  };
}

function sessionStatements(config: ResolvedConfig, dialect: Dialect): readonly Sql[] {
  return dialect.adapter.sessionSettings(timeoutSettings(config));
}

/**
 * Creates the version and history tables that are missing, in a transaction of their own that commits before the
 * heads are read (a later failure then still finds the history table to record itself in). An existing version
 * table is used as it is: an Alembic `alembic_version` keeps its `varchar(32)`.
 *
 * @returns the tables created.
 */
export async function ensureStateTables(
  executor: Executor,
  dialect: Dialect,
  tables: StateTables,
): Promise<string[]> {
  const missing = [];
  if (!(await tableExists(executor, dialect, tables.schema, tables.version))) {
    missing.push({ name: tables.version, operation: createVersionTable(tables) });
  }
  if (!(await tableExists(executor, dialect, tables.schema, tables.history))) {
    missing.push({ name: tables.history, operation: createHistoryTable(tables, dialect) });
  }
  if (missing.length === 0) return [];
  await executor.begin();
  try {
    for (const { operation } of missing) await executor.run(operation);
    await executor.commit();
  } catch (error) {
    await executor.rollback().catch(() => {});
    throw error;
  }
  return missing.map((table) => table.name);
}

/** The version table's rows in revision-map order (unknown revisions last, as found). */
export async function readHeads(context: DatabaseContext, map: RevisionMap): Promise<string[]> {
  const rows = await readVersionRows(context.executor, context.dialect, context.tables);
  return orderHeads(map, rows);
}

export function orderHeads(map: RevisionMap, rows: readonly string[]): string[] {
  const position = new Map(map.revisions.map((revision, index) => [revision.id, index]));
  return [...new Set(rows)].sort(
    (a, b) => (position.get(a) ?? Number.MAX_SAFE_INTEGER) - (position.get(b) ?? Number.MAX_SAFE_INTEGER),
  );
}

/** The settings of `runSteps` for a command. */
export function runSettings(
  config: ResolvedConfig,
  dialect: Dialect,
  executor: Executor,
  onProgress: ProgressListener,
  transactionPerMigration: boolean | undefined,
): RunSettings {
  return {
    executor,
    dialect,
    tables: stateTables(config),
    transactionPerMigration: transactionPerMigration ?? config.transactionPerMigration,
    transactionalDdl: dialect.adapter.capabilities.transactionalDdl,
    x: config.x,
    onProgress,
    hostName: executor.offline ? null : hostname(),
    ambixVersion: ambixVersion(),
  };
}

/** The dialect of the configured URL, without connecting (offline runs). */
export function configuredDialect(config: ResolvedConfig): Dialect {
  return DIALECTS[parseDatabaseUrl(config.url, { cwd: config.cwd }).dialect];
}

/** How a DBA runs an offline script with the database's own client, stopping at the first error. */
const RUN_SCRIPT: Readonly<Record<Dialect['name'], string>> = {
  postgres: 'psql -v ON_ERROR_STOP=1 -f FILE',
  pglite: 'psql -v ON_ERROR_STOP=1 -f FILE',
  sqlite: 'sqlite3 -bail DATABASE < FILE',
  mysql: 'mysql DATABASE < FILE',
};

/**
 * An offline script's executor, started with a header comment and the session settings, so a DBA running it gets
 * the same timeouts as an online run.
 */
export function offlineScript(
  config: ResolvedConfig,
  dialect: Dialect,
  title: string,
  options: OfflineExecutorOptions = {},
): OfflineExecutor {
  const executor = offlineExecutor(dialect.renderer, options);
  executor.comment(
    `${title}\nGenerated by ambix ${ambixVersion()}; review it, then run it with: ${RUN_SCRIPT[dialect.name]}`,
  );
  for (const statement of sessionStatements(config, dialect)) executor.statement(statement);
  return executor;
}
