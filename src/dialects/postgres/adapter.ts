import { AmbixError } from '../../errors.js';
import type { Adapter, Capabilities, Connection, LockHolder, LockOptions, Sql } from '../dialect.js';
import { advisoryLockId, advisoryLockTag, describeLockKey } from '../lock-key.js';
import { type Backoff, DEFAULT_BACKOFF, describeHolder, freezeHolder, pollForLock } from '../lock-wait.js';

export const POSTGRES_CAPABILITIES: Capabilities = Object.freeze({
  transactionalDdl: true,
  alterConstraints: true,
  schemas: true,
  sessionLock: true,
});

/** A migration's transaction on PostgreSQL. */
export const POSTGRES_TRANSACTION: Adapter['transaction'] = Object.freeze({
  begin: Object.freeze(['BEGIN']),
  commit: Object.freeze(['COMMIT']),
  rollback: Object.freeze(['ROLLBACK']),
});

const HOLDER_QUERY = `SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start
  FROM pg_locks l
  JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1
 LIMIT 1`;

/** Turns `idle_session_timeout` off for this session, where the server has the setting (no-op before 14). */
export const KEEP_IDLE_SESSION = `SELECT set_config('idle_session_timeout', '0', false)
 WHERE current_setting('idle_session_timeout', true) IS NOT NULL`;

export interface PostgresAdapterOptions {
  readonly backoff?: Backoff;
}

/**
 * The PostgreSQL adapter. The migration lock is a session-level advisory lock on `advisoryLockId(key)`
 * (see lock-key.ts), taken with `pg_try_advisory_lock` in a polling loop — never the blocking
 * `pg_advisory_lock`, whose wait inside an open transaction deadlocks with CREATE INDEX CONCURRENTLY.
 * Being session-level, it survives COMMIT/ROLLBACK and is released by `pg_advisory_unlock` or when the session
 * ends (a crashed run cannot leave it behind).
 */
export function createPostgresAdapter(options: PostgresAdapterOptions = {}): Adapter {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  return Object.freeze({
    capabilities: POSTGRES_CAPABILITIES,
    lockScope: 'own',
    transaction: POSTGRES_TRANSACTION,

    async acquireLock(connection: Connection, key: string, lockOptions: LockOptions): Promise<void> {
      const id = advisoryLockId(key).toString();
      // The lock's session sits idle while the migrations run on another one: a server or role setting
      // `idle_session_timeout` (PostgreSQL 14 and later) would end it and release the lock mid-run.
      await connection.query(KEEP_IDLE_SESSION);
      await pollForLock({
        ...lockOptions,
        backoff,
        tryAcquire: async () => {
          const result = await connection.query('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [id]);
          return result.rows[0]?.acquired === true;
        },
        findHolder: () => findAdvisoryLockHolder(connection, key),
        timeoutError: (holder, waitedMs) => lockTimeout(key, holder, waitedMs, lockOptions.timeoutMs),
      });
    },

    async releaseLock(connection: Connection, key: string): Promise<void> {
      // Unlocking a lock this session does not hold only raises a server WARNING; nothing to report here.
      await connection.query('SELECT pg_advisory_unlock($1::bigint) AS released', [
        advisoryLockId(key).toString(),
      ]);
    },

    sessionSettings: postgresSessionSettings,
    sessionReset: postgresSessionReset,
  });
}

export const postgresAdapter: Adapter = createPostgresAdapter();

/** Who holds the advisory lock for `key` in the current database, from pg_locks joined with pg_stat_activity. */
export async function findAdvisoryLockHolder(
  connection: Connection,
  key: string,
): Promise<LockHolder | undefined> {
  const { classid, objid } = advisoryLockTag(advisoryLockId(key));
  const result = await connection.query(HOLDER_QUERY, [String(classid), String(objid)]);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return freezeHolder({
    pid: typeof row.pid === 'number' ? row.pid : Number(row.pid),
    applicationName: typeof row.application_name === 'string' ? row.application_name : undefined,
    clientAddress: typeof row.client_addr === 'string' ? row.client_addr : undefined,
    // The session's start: the lock itself carries no timestamp, and ambix takes it right after connecting.
    since: asDate(row.backend_start),
  });
}

function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  return undefined;
}

function lockTimeout(
  key: string,
  holder: LockHolder | undefined,
  waitedMs: number,
  timeoutMs: number,
): AmbixError {
  const stop =
    holder?.pid === undefined ? '' : `, or end that session (SELECT pg_terminate_backend(${holder.pid}))`;
  return new AmbixError(
    'LOCK_TIMEOUT',
    `Gave up after ${waitedMs} ms waiting for the migration lock (${describeLockKey(key)}): it is held by ${describeHolder(holder)}.`,
    {
      hint: `Another migration is running: let it finish${stop}; to wait longer, raise the migration lock timeout (now ${timeoutMs} ms).`,
      details: { key, timeoutMs, waitedMs, ...(holder === undefined ? {} : { holder }) },
    },
  );
}

/** `SET lock_timeout = '…ms'` / `SET statement_timeout = '…ms'` for the settings given (0 disables a timeout). */
export function postgresSessionSettings(settings: {
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
}): readonly Sql[] {
  const statements: Sql[] = [];
  if (settings.lockTimeoutMs !== undefined) {
    statements.push({
      sql: `SET lock_timeout = '${milliseconds('lockTimeoutMs', settings.lockTimeoutMs)}ms'`,
    });
  }
  if (settings.statementTimeoutMs !== undefined) {
    statements.push({
      sql: `SET statement_timeout = '${milliseconds('statementTimeoutMs', settings.statementTimeoutMs)}ms'`,
    });
  }
  return Object.freeze(statements);
}

/** `RESET` of each setting {@link postgresSessionSettings} changed. */
export function postgresSessionReset(settings: {
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
}): readonly Sql[] {
  const statements: Sql[] = [];
  if (settings.lockTimeoutMs !== undefined) statements.push({ sql: 'RESET lock_timeout' });
  if (settings.statementTimeoutMs !== undefined) statements.push({ sql: 'RESET statement_timeout' });
  return Object.freeze(statements);
}

function milliseconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new AmbixError('CONFIG_INVALID', `${name} must be a number of milliseconds >= 0, not ${value}.`, {
      hint: 'Use 0 to disable the timeout.',
    });
  }
  return Math.round(value);
}
