import { AmbixError } from '../../errors.js';
import type { Adapter, Capabilities, Connection, LockOptions, Sql } from '../dialect.js';
import { describeLockKey } from '../lock-key.js';
import { type Backoff, DEFAULT_BACKOFF, pollForLock } from '../lock-wait.js';

/** SQLite runs DDL in transactions; most of ALTER TABLE is a table rebuild ("move and copy"). */
export const SQLITE_CAPABILITIES: Capabilities = Object.freeze({
  transactionalDdl: true,
  alterConstraints: false,
  schemas: false,
  sessionLock: false,
});

/** A migration's transaction is a savepoint in the run's write transaction (the lock). */
const SAVEPOINT = 'ambix_migration';

export interface SqliteAdapterOptions {
  readonly backoff?: Backoff;
}

/**
 * The SQLite adapter. The migration lock is the database's write lock: `BEGIN IMMEDIATE`, held until the run
 * ends, so no other connection writes in between (readers go on). It is tried without waiting and retried with
 * backoff, because better-sqlite3 would wait for a busy database synchronously, freezing the process. SQLite
 * cannot tell who holds it.
 */
export function createSqliteAdapter(options: SqliteAdapterOptions = {}): Adapter {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  return Object.freeze({
    capabilities: SQLITE_CAPABILITIES,
    lockScope: 'session',
    transaction: Object.freeze({
      begin: Object.freeze([`SAVEPOINT ${SAVEPOINT}`]),
      commit: Object.freeze([`RELEASE ${SAVEPOINT}`]),
      rollback: Object.freeze([`ROLLBACK TO ${SAVEPOINT}`, `RELEASE ${SAVEPOINT}`]),
    }),

    async acquireLock(connection: Connection, key: string, lockOptions: LockOptions): Promise<void> {
      // A table rebuild drops the old table, which must not cascade to the rows that reference it: foreign keys
      // are off for the run (checked with foreign_key_check after each rebuild instead). The pragma is ignored
      // inside a transaction, so it is set before the lock's; an application's connection gets its setting back.
      const { rows } = await connection.query('PRAGMA foreign_keys');
      foreignKeysBefore.set(connection, Number(rows[0]?.foreign_keys) === 1);
      await connection.query('PRAGMA foreign_keys = OFF');
      await pollForLock({
        ...lockOptions,
        backoff,
        tryAcquire: async () => {
          try {
            await connection.query('BEGIN IMMEDIATE');
            return true;
          } catch (error) {
            if (isBusy(error)) return false;
            throw error;
          }
        },
        findHolder: async () => undefined,
        timeoutError: (_holder, waitedMs) =>
          new AmbixError(
            'LOCK_TIMEOUT',
            `Gave up after ${waitedMs} ms waiting for the migration lock (${describeLockKey(key)}): another connection is writing to the database.`,
            {
              hint: `Another migration (or a long write) is running: let it finish; to wait longer, raise the migration lock timeout (now ${lockOptions.timeoutMs} ms).`,
              details: { key, timeoutMs: lockOptions.timeoutMs, waitedMs },
            },
          ),
      });
    },

    async releaseLock(connection: Connection): Promise<void> {
      // What the run did is committed: a failed migration's own savepoint was rolled back already, and the
      // history row that records the failure must stay.
      await connection.query('COMMIT');
      if (foreignKeysBefore.get(connection) === true) await connection.query('PRAGMA foreign_keys = ON');
      foreignKeysBefore.delete(connection);
    },

    sessionSettings(settings: { lockTimeoutMs?: number; statementTimeoutMs?: number }): readonly Sql[] {
      // Only the busy timeout: SQLite has no statement timeout. The run holds the write lock, so a wait here can
      // only be a COMMIT waiting for readers to finish.
      return settings.lockTimeoutMs === undefined
        ? []
        : [{ sql: `PRAGMA busy_timeout = ${Math.max(0, Math.round(settings.lockTimeoutMs))}` }];
    },

    sessionReset(settings: { lockTimeoutMs?: number }): readonly Sql[] {
      return settings.lockTimeoutMs === undefined ? [] : [{ sql: 'PRAGMA busy_timeout = 0' }];
    },
  });
}

export const sqliteAdapter: Adapter = createSqliteAdapter();

/** Whether each locked connection had foreign keys on before the run turned them off. */
const foreignKeysBefore = new WeakMap<Connection, boolean>();

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
