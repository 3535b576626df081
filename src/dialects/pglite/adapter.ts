import { AmbixError } from '../../errors.js';
import type { Adapter, Capabilities, Connection, LockHolder, LockOptions } from '../dialect.js';
import { describeLockKey } from '../lock-key.js';
import { type Backoff, DEFAULT_BACKOFF, describeHolder, pollForLock } from '../lock-wait.js';
import { POSTGRES_TRANSACTION, postgresSessionReset, postgresSessionSettings } from '../postgres/adapter.js';
import { PgliteConnection } from './driver.js';
import {
  type LockFileContent,
  lockFileHolder,
  lockFilePath,
  removeLockFile,
  tryCreateLockFile,
} from './lock-file.js';

/** PGlite is PostgreSQL: transactional DDL, constraints altered in place; the lock is a file (below). */
export const PGLITE_CAPABILITIES: Capabilities = Object.freeze({
  transactionalDdl: true,
  alterConstraints: true,
  schemas: true,
  sessionLock: true,
});

export interface PgliteAdapterOptions {
  readonly backoff?: Backoff;
}

interface Held {
  readonly path: string;
  readonly content: LockFileContent;
  count: number;
}

/**
 * The PGlite adapter. A data directory can be opened by only one process at a time, so the migration lock is
 * the file `<dataDir>.lock` (see lock-file.ts), polled for like PostgreSQL's advisory lock with the same
 * `onWait` reports and LOCK_TIMEOUT. A lock whose process is dead on this host is taken over. In-memory databases
 * belong to one process and need no lock. As with a session-level advisory lock, the same connection may take
 * the lock again; it is freed by as many releases.
 */
export function createPgliteAdapter(options: PgliteAdapterOptions = {}): Adapter {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const held = new WeakMap<Connection, Map<string, Held>>();

  return Object.freeze({
    capabilities: PGLITE_CAPABILITIES,
    lockScope: 'session',
    transaction: POSTGRES_TRANSACTION,

    async acquireLock(connection: Connection, key: string, lockOptions: LockOptions): Promise<void> {
      const dataDir = dataDirOf(connection);
      if (dataDir === undefined) return;
      const path = lockFilePath(dataDir);
      const mine = held.get(connection) ?? new Map<string, Held>();
      held.set(connection, mine);
      const already = mine.get(path);
      if (already !== undefined) {
        already.count += 1;
        return;
      }
      await pollForLock({
        ...lockOptions,
        backoff,
        tryAcquire: async () => {
          const content = await tryCreateLockFile(path, key);
          if (content === undefined) return false;
          mine.set(path, { path, content, count: 1 });
          return true;
        },
        findHolder: () => lockFileHolder(path),
        timeoutError: (holder, waitedMs) => lockTimeout(path, key, holder, waitedMs, lockOptions.timeoutMs),
      });
    },

    async releaseLock(connection: Connection, _key: string): Promise<void> {
      const dataDir = dataDirOf(connection);
      if (dataDir === undefined) return;
      const path = lockFilePath(dataDir);
      const mine = held.get(connection);
      const entry = mine?.get(path);
      if (mine === undefined || entry === undefined) return;
      entry.count -= 1;
      if (entry.count > 0) return;
      mine.delete(path);
      await removeLockFile(path, entry.content);
    },

    // PGlite understands the same SET statements.
    sessionSettings: postgresSessionSettings,
    sessionReset: postgresSessionReset,
  });
}

export const pgliteAdapter: Adapter = createPgliteAdapter();

function dataDirOf(connection: Connection): string | undefined {
  if (!(connection instanceof PgliteConnection)) {
    throw new AmbixError('FAILED', "The PGlite adapter needs a connection opened by ambix's PGlite driver.", {
      hint: 'Open it with openConnection(url) or wrap your PGlite instance with fromPGlite(db).',
    });
  }
  return connection.dataDir;
}

function lockTimeout(
  path: string,
  key: string,
  holder: LockHolder | undefined,
  waitedMs: number,
  timeoutMs: number,
): AmbixError {
  const who = holder === undefined ? 'a process that has not finished writing it' : describeHolder(holder);
  return new AmbixError(
    'LOCK_TIMEOUT',
    `Gave up after ${waitedMs} ms waiting for the migration lock (${describeLockKey(key)}): ${path} is held by ${who}.`,
    {
      hint: `Another migration is using this embedded database: let it finish, or stop it; if no such process is running, delete ${path}. To wait longer, raise the migration lock timeout (now ${timeoutMs} ms).`,
      details: { key, path, timeoutMs, waitedMs, ...(holder === undefined ? {} : { holder }) },
    },
  );
}
