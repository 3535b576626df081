import type { Operation } from '../operations/operation.js';
import type { SqlExpression } from '../operations/sql-expression.js';
import type { Introspector } from '../schema/introspector.js';
import type { TableModel, ViewModel } from '../schema/model.js';

/**
 * One SQL statement and its bound parameters, written with the dialect's placeholders (`$1`, `$2`… on PostgreSQL,
 * `?` on SQLite and MySQL; see {@link Renderer.placeholder}).
 */
export interface Sql {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

export interface QueryResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly rowCount: number;
  /** The key an INSERT generated (MySQL's AUTO_INCREMENT), where the driver reports it. */
  readonly insertId?: number;
}

/**
 * A database session. ambix runs a migration on one connection (plus, for the lock, a second one it owns).
 * Implementations wrap a driver client (pg, PGlite, …) or a client the application passed in.
 */
export interface Connection {
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Runs a script of several statements without parameters (used for SQL migration files on drivers that can). */
  exec?(sql: string): Promise<void>;
  /**
   * Runs statements with their parameters in one round trip, in order, stopping at the first that fails, and
   * returns each one's result; only where the driver can (mysql2 with `multipleStatements`).
   */
  batch?(statements: readonly Sql[]): Promise<readonly QueryResult[]>;
  /** Closes the session if ambix opened it; a client the application passed in is left open. */
  close(): Promise<void>;
}

/** What a database can and cannot do; the runtime and the renderer consult these instead of the dialect name. */
export interface Capabilities {
  /** DDL runs inside transactions and rolls back with them (PostgreSQL, SQLite: yes; MySQL: no). */
  readonly transactionalDdl: boolean;
  /** `ALTER TABLE … ADD/DROP CONSTRAINT` works in place (SQLite: no, it needs a table copy). */
  readonly alterConstraints: boolean;
  /** Schemas in the PostgreSQL sense, several per database (PostgreSQL: yes; SQLite and MySQL: no). */
  readonly schemas: boolean;
  /** Session-level advisory locks (PostgreSQL) or an equivalent. */
  readonly sessionLock: boolean;
}

/**
 * What rendering an operation may need to know about the database as it is: SQLite rebuilds a table to alter it
 * ("move and copy") and MySQL restates a whole column to change part of it, so both need the table's present
 * definition. Online the runtime reflects it; offline it comes from the schema module or the operation itself.
 */
export interface RenderContext {
  /** The table as it is before the operation runs; undefined when it is not known. */
  table(schema: string | undefined, name: string): TableModel | undefined;
  /**
   * What goes when the table is dropped and must be created again after a rebuild: SQLite's triggers on the table
   * (and views to refresh, if any). Online the runtime reflects them with the table; undefined when not known.
   */
  dependents?(schema: string | undefined, table: string): TableDependents | undefined;
  /**
   * Offline, when the run ends where the project's schema module describes the database (an upgrade to the
   * heads): the table as the module declares it, which is the table as it is after the last migration. A renderer
   * may build a table from it only for the last change the run makes to that table, and asks for it only then:
   * the runtime refuses any later operation on a table it gave.
   */
  declaredTable?(schema: string | undefined, table: string): TableModel | undefined;
  /**
   * Whether the statements are written to a script (`--sql`) rather than run: what the renderer does not know
   * (a table's triggers) it cannot learn, and may guard against in the SQL itself.
   */
  readonly offline?: boolean;
}

/** The objects a table rebuild sets aside and creates again (see {@link RenderContext.dependents}). */
export interface TableDependents {
  /** Plain views to drop and create again, in the order they can be created. */
  readonly views: readonly ViewModel[];
  /** Triggers by their stored SQL: `definition` is the whole `CREATE TRIGGER …` statement. */
  readonly triggers: readonly {
    readonly schema?: string;
    readonly name: string;
    readonly definition: string;
  }[];
}

/** A table an operation needs the present definition of (see {@link Renderer.tablesNeeded}). */
export interface TableReference {
  readonly schema: string | undefined;
  readonly name: string;
}

/** Turns operations into SQL for one dialect. */
export interface Renderer {
  /**
   * The statements for one operation, in order. Identifiers quoted, values bound or escaped. Operations that need
   * a table's present definition ({@link tablesNeeded}) read it from `context`, and throw an AmbixError that says
   * what to pass when it is missing.
   */
  render(operation: Operation, context?: RenderContext): readonly Sql[];
  /** The tables whose present definition `render` needs for this operation (none on PostgreSQL). */
  tablesNeeded?(operation: Operation): readonly TableReference[];
  /** The placeholder of the `index`-th (1-based) parameter of a statement: `$1` on PostgreSQL, `?` elsewhere. */
  placeholder(index: number): string;
  /** A quoted identifier: `"users"`, `"a""b"`. */
  quoteIdentifier(name: string): string;
  /**
   * A column type written PostgreSQL's way (as `ambix/schema` declares it) or the database's own way, as this
   * database spells it: `character varying(255)` on PostgreSQL, `varchar(255)` on MySQL. Throws an AmbixError for
   * a type the database has no counterpart for.
   */
  columnType(type: string): string;
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
   * Where the migration lock is taken: on a connection of its own (`own`: PostgreSQL's advisory lock, MySQL's
   * GET_LOCK, so the lock does not depend on what the migrations' session does), or on the session itself
   * (`session`: SQLite's write transaction, PGlite's lock file).
   */
  readonly lockScope: 'own' | 'session';
  /**
   * The statements of a migration's transaction. PostgreSQL and MySQL: BEGIN, COMMIT, ROLLBACK. SQLite holds one
   * write transaction for the whole run (its lock), so a migration's transaction is a savepoint inside it.
   */
  readonly transaction: {
    readonly begin: readonly string[];
    readonly commit: readonly string[];
    readonly rollback: readonly string[];
    /**
     * Where a DDL statement commits the open transaction (MySQL): `statements` make the open transaction, or the
     * one the next statement begins, last until COMMIT or ROLLBACK whatever runs (autocommit off), and `release`
     * puts the session back once it is over.
     */
    readonly hold?: { readonly statements: readonly string[]; readonly release: readonly string[] };
    /**
     * Where DDL commits at once (MySQL): whether a statement stays inside the open transaction, so that a ROLLBACK
     * undoes it. Statements it cannot vouch for are taken to commit. Absent: every statement stays inside.
     */
    readonly staysInside?: (sql: string) => boolean;
  };
  /** Statements that undo {@link sessionSettings} on a connection the application lends ambix. */
  sessionReset(settings: { lockTimeoutMs?: number; statementTimeoutMs?: number }): readonly Sql[];
  /**
   * Takes the migration lock on `connection` (its own session, outside any transaction), polling with backoff.
   * `key` identifies database + version table. Throws AmbixError LOCK_TIMEOUT after `timeoutMs`.
   */
  acquireLock(connection: Connection, key: string, options: LockOptions): Promise<void>;
  releaseLock(connection: Connection, key: string): Promise<void>;
  /** Statements that set the session's lock and statement timeouts (milliseconds; undefined leaves it alone). */
  sessionSettings(settings: { lockTimeoutMs?: number; statementTimeoutMs?: number }): readonly Sql[];
}

export type DialectName = 'postgres' | 'pglite' | 'sqlite' | 'mysql';

/**
 * The SQL of ambix's own tables that differs between databases: how a table's presence is asked, and how the
 * history table stores lists of heads and times. Everything else about them is portable SQL in runtime/tables.ts.
 */
export interface StateSql {
  /** A query that returns one row when the table exists (none when it does not). */
  tableExists(schema: string | undefined, table: string): Sql;
  /** The history table's column types: its key, a list of heads, a point in time. */
  readonly types: {
    /** The `id` column's definition: an auto-numbered key. */
    readonly id: { readonly type: string; readonly identity?: 'always' };
    readonly heads: string;
    readonly timestamp: string;
  };
  /** Defaults of the history table's `started_at` and `db_user` columns (SQL), where the database has them. */
  readonly defaults: { readonly now: string; readonly user?: string };
  /** A list of heads as a bound value, and what follows its placeholder (`::text[]`). */
  heads(heads: readonly string[]): { readonly value: unknown; readonly cast: string };
  /** A point in time as a bound value, and what follows its placeholder. */
  timestamp(time: Date): { readonly value: unknown; readonly cast: string };
  /** What follows an integer's placeholder, for databases that must be told its type (`::integer`). */
  readonly integerCast: string;
  /** The time now, read when the statement runs (offline scripts): `clock_timestamp()`. */
  readonly clock: string;
  /** The current database user, written into each history row where no column default provides it. */
  readonly user?: string;
}

/** A dialect is a small set of collaborators (see STYLE.md). */
export interface Dialect {
  readonly name: DialectName;
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  readonly state: StateSql;
  /** The schema the model gives objects of the connection's default schema: `public`, or `main` (SQLite, MySQL). */
  readonly defaultSchema: string;
  /** Reads a live database's schema into the schema model. */
  readonly introspector: Introspector;
  /** Opens a connection for a URL of this dialect. Drivers are loaded on first use. */
  connect(url: string): Promise<Connection>;
}
