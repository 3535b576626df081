import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Connection, Dialect } from '../dialects/dialect.js';
import { DIALECTS, openConnection } from '../dialects/index.js';
import { migrationLockKey } from '../dialects/lock-key.js';
import { describeHolder } from '../dialects/lock-wait.js';
import {
  fromMysqlClient,
  MysqlConnection,
  type MysqlConnectionLike,
  mysqlDialect,
} from '../dialects/mysql/index.js';
import type { PGliteLike } from '../dialects/pglite/driver.js';
import { fromPGlite, PgliteConnection } from '../dialects/pglite/driver.js';
import { pgliteDialect } from '../dialects/pglite/index.js';
import type { PgClientLike } from '../dialects/postgres/driver.js';
import { fromClient, PostgresConnection } from '../dialects/postgres/driver.js';
import { postgresDialect } from '../dialects/postgres/index.js';
import {
  fromSqliteDatabase,
  SqliteConnection,
  type SqliteDatabaseLike,
  sqliteDialect,
} from '../dialects/sqlite/index.js';
import { parseDatabaseUrl } from '../dialects/url.js';
import { AmbixError, isAmbixError } from '../errors.js';
import type { ProgressListener } from './progress.js';
import { qualified, type StateTables } from './tables.js';

/**
 * A database session an application already has: a connected `pg.Client` (or a client checked out of a pool), a
 * PGlite instance, a better-sqlite3 `Database`, a mysql2/promise connection, or a connection made by ambix's
 * dialects. ambix runs on it and leaves it open.
 */
export type ApplicationConnection =
  | PgClientLike
  | PGliteLike
  | SqliteDatabaseLike
  | MysqlConnectionLike
  | Connection;

/** The connection a command runs on, the dialect that speaks to it, and how it is shown to people. */
export interface Session {
  readonly dialect: Dialect;
  readonly connection: Connection;
  /** The URL with its password masked, or a description of the application's connection. */
  readonly url: string;
  /** Opened by ambix from the configured URL (and so to be closed by it), rather than passed in. */
  readonly owned: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured database, or wraps the application's connection. With no URL configured this is the
 * embedded PGlite database at `.ambix/pglite`, announced once through `onProgress`.
 */
export async function openSession(
  config: ResolvedConfig,
  connection: ApplicationConnection | undefined,
  onProgress: ProgressListener,
): Promise<Session> {
  if (connection !== undefined) {
    const wrapped = wrapConnection(connection);
    return {
      dialect: dialectOf(wrapped),
      connection: wrapped,
      url: describeApplicationConnection(wrapped),
      owned: false,
      close: async () => {},
    };
  }
  const parsed = parseDatabaseUrl(config.url, { cwd: config.cwd });
  if (
    parsed.dialect === 'pglite' &&
    parsed.isDefault &&
    parsed.dataDir !== undefined &&
    !existsSync(parsed.dataDir)
  ) {
    // Said once: when the embedded database is created.
    const shown = relative(config.cwd, parsed.dataDir) || parsed.dataDir;
    onProgress({
      kind: 'info',
      message: `No database URL is configured: using the embedded database at ${shown} (set DATABASE_URL or url in ambix.config.ts for another).`,
    });
  }
  const opened = await openConnection(config.url, {
    cwd: config.cwd,
    pgliteExtensions: config.pglite.extensions,
  });
  return {
    dialect: DIALECTS[parsed.dialect],
    connection: opened,
    url: parsed.masked,
    owned: true,
    close: () => opened.close(),
  };
}

/** The dialect that speaks to a connection made by one of ambix's drivers. */
function dialectOf(connection: Connection): Dialect {
  if (connection instanceof PgliteConnection) return pgliteDialect;
  if (connection instanceof SqliteConnection) return sqliteDialect;
  if (connection instanceof MysqlConnection) return mysqlDialect;
  return postgresDialect;
}

function wrapConnection(connection: ApplicationConnection): Connection {
  if (
    connection instanceof PostgresConnection ||
    connection instanceof PgliteConnection ||
    connection instanceof SqliteConnection ||
    connection instanceof MysqlConnection
  ) {
    return connection;
  }
  const candidate = connection as Partial<PGliteLike> & {
    connect?: unknown;
    end?: unknown;
    prepare?: unknown;
    execute?: unknown;
  };
  // better-sqlite3's Database has prepare() and exec(); a PGlite instance has exec() and close() but no prepare();
  // a mysql2 connection has execute() and end(); a pg client has connect() and end().
  if (typeof candidate.prepare === 'function' && typeof candidate.exec === 'function') {
    return fromSqliteDatabase(connection as unknown as SqliteDatabaseLike);
  }
  if (
    typeof candidate.exec === 'function' &&
    typeof candidate.close === 'function' &&
    candidate.end === undefined
  ) {
    return fromPGlite(connection as PGliteLike);
  }
  if (typeof candidate.execute === 'function' && typeof candidate.query === 'function') {
    return fromMysqlClient(connection as unknown as MysqlConnectionLike);
  }
  if (typeof candidate.query === 'function') return fromClient(connection as PgClientLike);
  throw new AmbixError(
    'FAILED',
    'The connection passed to ambix is not a pg client, a PGlite instance, a better-sqlite3 database or a mysql2 connection.',
    {
      hint: 'Pass a connected pg.Client (or a client from pool.connect()), a PGlite instance, a better-sqlite3 Database, or a connection from mysql2/promise.',
    },
  );
}

function describeApplicationConnection(connection: Connection): string {
  if (connection instanceof PgliteConnection) {
    return connection.dataDir === undefined ? 'pglite:memory' : `pglite:${connection.dataDir}`;
  }
  if (connection instanceof SqliteConnection) {
    return connection.filename === undefined ? 'sqlite::memory:' : `sqlite:${connection.filename}`;
  }
  return 'the application connection';
}

/** Releases the migration lock. */
export type ReleaseLock = () => Promise<void>;

export interface LockSettings {
  readonly timeoutMs: number;
  readonly onProgress: ProgressListener;
}

/**
 * Takes the migration lock before the current heads are read. PostgreSQL: a session-level advisory lock on a
 * second connection of its own, keyed by the database and the schema-qualified version table, so the lock does
 * not depend on what the migration session does (its transactions, its timeouts, a `CREATE INDEX CONCURRENTLY`
 * waiting for other sessions). An application's own connection has no URL to open a second one from, so the lock
 * is taken on it, outside any transaction. PGlite: the data directory's lock file.
 */
export async function takeMigrationLock(
  config: ResolvedConfig,
  session: Session,
  tables: StateTables,
  settings: LockSettings,
): Promise<ReleaseLock> {
  const { adapter } = session.dialect;
  let lockConnection = session.connection;
  let ownsLockConnection = false;
  let database: string;
  if (session.connection instanceof PgliteConnection) {
    // Querying would open the data directory, which another process may be migrating: the file lock comes first.
    database = session.connection.dataDir ?? 'memory';
  } else if (session.connection instanceof SqliteConnection) {
    database = session.connection.filename ?? ':memory:';
  } else {
    // A lock of its own session, where the dialect has one; an application's own connection has no URL to open
    // a second one from, so the lock is taken on it, outside any transaction.
    if (session.owned && adapter.lockScope === 'own') {
      lockConnection = await openConnection(config.url, { cwd: config.cwd });
      ownsLockConnection = true;
    }
    try {
      const rows = (await lockConnection.query(currentDatabaseQuery(session.dialect))).rows;
      database = String(rows[0]?.name);
    } catch (error) {
      if (ownsLockConnection) await lockConnection.close().catch(() => {});
      throw error;
    }
  }
  const target = tables.schema === undefined ? tables.version : `${tables.schema}.${tables.version}`;
  const key = migrationLockKey(database, target);
  const started = Date.now();
  let waited = false;
  try {
    await adapter.acquireLock(lockConnection, key, {
      timeoutMs: settings.timeoutMs,
      onWait: (holder, waitedMs) => {
        waited = true;
        settings.onProgress({
          kind: 'lockWaiting',
          holder,
          waitedMs,
          message: `Waiting for the migration lock on ${qualified(session.dialect.renderer, tables.schema, tables.version)}, held by ${describeHolder(holder)}…`,
        });
      },
    });
  } catch (error) {
    if (ownsLockConnection) await lockConnection.close().catch(() => {});
    throw rewrapLockTimeout(error, settings.timeoutMs);
  }
  if (waited) settings.onProgress({ kind: 'lockAcquired', waitedMs: Date.now() - started });
  return async () => {
    try {
      await adapter.releaseLock(lockConnection, key);
    } catch (error) {
      // The lock's own session is gone (the server ended it): the lock went with it, and the run's work stands.
      if (!ownsLockConnection) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      settings.onProgress({
        kind: 'warning',
        message: `the migration lock's session ended before the run released the lock (${reason}); the run completed, but from that moment another run could have started. Check the result with 'ambix status'.`,
      });
    } finally {
      if (ownsLockConnection) await lockConnection.close().catch(() => {});
    }
  };
}

function currentDatabaseQuery(dialect: Dialect): string {
  return dialect.name === 'mysql' ? 'SELECT DATABASE() AS name' : 'SELECT current_database() AS name';
}

/** LOCK_TIMEOUT's hint, naming the setting that raises the timeout. */
function rewrapLockTimeout(error: unknown, timeoutMs: number): unknown {
  if (!isAmbixError(error) || error.code !== 'LOCK_TIMEOUT') return error;
  const hint = (error.hint ?? '').replace(
    /raise the migration lock timeout \(now \d+ ms\)/,
    `raise lockTimeout in ambix.config.ts (now ${timeoutMs} ms)`,
  );
  return new AmbixError('LOCK_TIMEOUT', error.message, { hint, details: error.details, cause: error.cause });
}
