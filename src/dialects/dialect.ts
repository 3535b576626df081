import type { Operation } from '../operations/operation.js';
import type { SqlExpression } from '../operations/sql-expression.js';
import type { Introspector } from '../schema/introspector.js';

/** One SQL statement and its bound parameters (`$1`, `$2`… on PostgreSQL). */
export interface Sql {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

export interface QueryResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly rowCount: number;
}

/**
 * A database session. ambix runs a migration on one connection (plus, for the lock, a second one it owns).
 * Implementations wrap a driver client (pg, PGlite, …) or a client the application passed in.
 */
export interface Connection {
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Runs a script of several statements without parameters (used for SQL migration files on drivers that can). */
  exec?(sql: string): Promise<void>;
  /** Closes the session if ambix opened it; a client the application passed in is left open. */
  close(): Promise<void>;
}

/** What a database can and cannot do; the runtime and the renderer consult these instead of the dialect name. */
export interface Capabilities {
  /** DDL runs inside transactions and rolls back with them (PostgreSQL, SQLite: yes; MySQL: no). */
  readonly transactionalDdl: boolean;
  /** `ALTER TABLE … ADD/DROP CONSTRAINT` works in place (SQLite: no, it needs a table copy). */
  readonly alterConstraints: boolean;
  /** Session-level advisory locks (PostgreSQL) or an equivalent. */
  readonly sessionLock: boolean;
}

/** Turns operations into SQL for one dialect. */
export interface Renderer {
  /** The statements for one operation, in order. Identifiers quoted, values bound or escaped. */
  render(operation: Operation): readonly Sql[];
  /** A quoted identifier: `"users"`, `"a""b"`. */
  quoteIdentifier(name: string): string;
  /** A SQL literal for offline scripts: `'it''s'`, `NULL`, `42`, `'{"a":1}'::jsonb`… */
  literal(value: unknown): string;
  /** A statement with its parameters inlined as literals, for offline (`--sql`) output. */
  inline(statement: Sql): string;
  /** A `sql` expression as SQL text, its values written as literals (DDL, schema models). */
  expression(expression: SqlExpression): string;
}

export interface LockOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Called while waiting, with who holds the lock when the database can tell. */
  readonly onWait?: (holder: LockHolder | undefined, waitedMs: number) => void;
}

export interface LockHolder {
  readonly pid?: number;
  readonly applicationName?: string;
  readonly clientAddress?: string;
  readonly since?: Date;
}

/** Dialect-specific behaviour the runtime needs beyond SQL text. */
export interface Adapter {
  readonly capabilities: Capabilities;
  /**
   * Takes the migration lock on `connection` (its own session, outside any transaction), polling with backoff.
   * `key` identifies database + version table. Throws AmbixError LOCK_TIMEOUT after `timeoutMs`.
   */
  acquireLock(connection: Connection, key: string, options: LockOptions): Promise<void>;
  releaseLock(connection: Connection, key: string): Promise<void>;
  /** Statements that set the session's lock and statement timeouts (milliseconds; undefined leaves it alone). */
  sessionSettings(settings: { lockTimeoutMs?: number; statementTimeoutMs?: number }): readonly Sql[];
}

export type DialectName = 'postgres' | 'pglite';

/** A dialect is a small set of collaborators (see STYLE.md). */
export interface Dialect {
  readonly name: DialectName;
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  /** Reads a live database's schema into the schema model. */
  readonly introspector: Introspector;
  /** Opens a connection for a URL of this dialect. Drivers are loaded on first use. */
  connect(url: string): Promise<Connection>;
}
