import { createHash } from 'node:crypto';
import { AmbixError } from '../../errors.js';
import type { Adapter, Capabilities, Connection, LockHolder, LockOptions, Sql } from '../dialect.js';
import { describeLockKey } from '../lock-key.js';
import { type Backoff, DEFAULT_BACKOFF, describeHolder, freezeHolder, pollForLock } from '../lock-wait.js';

/** MySQL commits every DDL statement implicitly: a failed migration can be half-applied. */
export const MYSQL_CAPABILITIES: Capabilities = Object.freeze({
  transactionalDdl: false,
  alterConstraints: true,
  schemas: false,
  sessionLock: true,
});

/**
 * The GET_LOCK name for a lock key: at most 64 characters (MySQL's limit), the same in every process:
 * `ambix:` and the first 58 hex digits of SHA-256 of the key.
 */
export function mysqlLockName(key: string): string {
  return `ambix:${createHash('sha256').update(`ambix migration lock\0${key}`, 'utf8').digest('hex').slice(0, 58)}`;
}

export interface MysqlAdapterOptions {
  readonly backoff?: Backoff;
}

/**
 * The MySQL/MariaDB adapter. The migration lock is a named user lock (`GET_LOCK`) on a session of its own: it
 * survives the implicit commits of DDL and goes away with the session if the process dies. Tried without waiting
 * (`GET_LOCK(name, 0)`) and retried with backoff, so the wait can be reported and bounded.
 */
/**
 * Whether a statement is plain data, which MySQL keeps in the open transaction: one INSERT, UPDATE, DELETE,
 * REPLACE, SELECT or WITH (comments aside). Anything else may commit at once (DDL, GRANT, LOCK TABLES, a CALL that
 * runs DDL…) and is taken to, as is text holding more than one statement.
 */
export function isPlainDataStatement(sql: string): boolean {
  const code = sql
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`/g, "''")
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(?:--\s|#)[^\n]*/g, ' ')
    .trim()
    .replace(/;\s*$/, '');
  return !code.includes(';') && /^(?:INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH)\b/i.test(code);
}

export function createMysqlAdapter(options: MysqlAdapterOptions = {}): Adapter {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  return Object.freeze({
    capabilities: MYSQL_CAPABILITIES,
    lockScope: 'own',
    transaction: Object.freeze({
      begin: Object.freeze(['START TRANSACTION']),
      commit: Object.freeze(['COMMIT']),
      rollback: Object.freeze(['ROLLBACK']),
      // A DDL statement ends the transaction, and with autocommit on each statement after it commits on its own.
      // ambix's bookkeeping after a step waits for its COMMIT with autocommit off; the session's own setting (an
      // application's connection may have it off) is put back after, on unless it was off (a release without a hold
      // finds the variable NULL).
      hold: Object.freeze({
        statements: Object.freeze(['SET @ambix_autocommit = @@SESSION.autocommit, SESSION autocommit = 0']),
        release: Object.freeze(['SET SESSION autocommit = IF(@ambix_autocommit = 0, 0, 1)']),
      }),
      staysInside: isPlainDataStatement,
    }),

    async acquireLock(connection: Connection, key: string, lockOptions: LockOptions): Promise<void> {
      const name = mysqlLockName(key);
      await pollForLock({
        ...lockOptions,
        backoff,
        tryAcquire: async () => {
          const { rows } = await connection.query('SELECT GET_LOCK(?, 0) AS acquired', [name]);
          return Number(rows[0]?.acquired) === 1;
        },
        findHolder: () => findLockHolder(connection, name),
        timeoutError: (holder, waitedMs) => {
          const stop = holder?.pid === undefined ? '' : `, or end that session (KILL ${holder.pid})`;
          return new AmbixError(
            'LOCK_TIMEOUT',
            `Gave up after ${waitedMs} ms waiting for the migration lock (${describeLockKey(key)}): it is held by ${describeHolder(holder)}.`,
            {
              hint: `Another migration is running: let it finish${stop}; to wait longer, raise the migration lock timeout (now ${lockOptions.timeoutMs} ms).`,
              details: {
                key,
                timeoutMs: lockOptions.timeoutMs,
                waitedMs,
                ...(holder === undefined ? {} : { holder }),
              },
            },
          );
        },
      });
    },

    async releaseLock(connection: Connection, key: string): Promise<void> {
      await connection.query('SELECT RELEASE_LOCK(?) AS released', [mysqlLockName(key)]);
    },

    sessionSettings(settings: { lockTimeoutMs?: number; statementTimeoutMs?: number }): readonly Sql[] {
      // ambix writes string literals with backslash escapes (`'a\\b'`), which NO_BACKSLASH_ESCAPES would read as
      // two backslashes: the mode is off for the run (and the script), and put back after on an application's
      // connection.
      const statements: Sql[] = [
        { sql: 'SET @ambix_sql_mode = @@SESSION.sql_mode' },
        {
          sql: "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))",
        },
      ];
      if (settings.lockTimeoutMs !== undefined) {
        // Whole seconds, at least one: a metadata lock (DDL) and a row lock wait this long.
        const seconds = Math.max(1, Math.ceil(settings.lockTimeoutMs / 1000));
        statements.push({ sql: `SET SESSION lock_wait_timeout = ${seconds}` });
        statements.push({ sql: `SET SESSION innodb_lock_wait_timeout = ${seconds}` });
      }
      if (settings.statementTimeoutMs !== undefined) {
        // MariaDB's limit applies to every statement; MySQL's max_execution_time only to SELECT, so MySQL refuses.
        statements.push({ sql: `SET SESSION max_statement_time = ${settings.statementTimeoutMs / 1000}` });
      }
      return statements;
    },

    sessionReset(settings: { lockTimeoutMs?: number; statementTimeoutMs?: number }): readonly Sql[] {
      const statements: Sql[] = [];
      if (settings.lockTimeoutMs !== undefined) {
        statements.push({ sql: 'SET SESSION lock_wait_timeout = DEFAULT' });
        statements.push({ sql: 'SET SESSION innodb_lock_wait_timeout = DEFAULT' });
      }
      if (settings.statementTimeoutMs !== undefined) {
        statements.push({ sql: 'SET SESSION max_statement_time = DEFAULT' });
      }
      statements.push({ sql: 'SET SESSION sql_mode = @ambix_sql_mode' });
      return statements;
    },
  });
}

export const mysqlAdapter: Adapter = createMysqlAdapter();

async function findLockHolder(connection: Connection, name: string): Promise<LockHolder | undefined> {
  const { rows } = await connection.query(
    `SELECT p.ID AS id, p.HOST AS host, p.TIME AS seconds
       FROM information_schema.PROCESSLIST p
      WHERE p.ID = IS_USED_LOCK(?)`,
    [name],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const host = typeof row.host === 'string' ? row.host.replace(/:\d+$/, '') : undefined;
  return freezeHolder({
    pid: Number(row.id),
    clientAddress: host,
    // The session's current command started this long ago; MySQL keeps no time for the lock itself.
    since:
      row.seconds === null || row.seconds === undefined
        ? undefined
        : new Date(Date.now() - Number(row.seconds) * 1000),
  });
}
