import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AmbixError } from '../../errors.js';
import type { Connection, QueryResult } from '../dialect.js';
import { importModule, loadDriver, type ModuleImporter } from '../driver-loader.js';

/** What ambix needs from a better-sqlite3 prepared statement. */
interface SqliteStatementLike {
  /** Whether the statement returns rows (a SELECT, a PRAGMA that reports, `… RETURNING`). */
  readonly reader: boolean;
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { readonly changes: number };
}

/** What ambix needs from a better-sqlite3 `Database` (an application's own instance fits). */
export interface SqliteDatabaseLike {
  prepare(sql: string): SqliteStatementLike;
  exec(sql: string): unknown;
  close(): unknown;
  /** The file name as opened (`:memory:` for a memory database). */
  readonly name: string;
  readonly memory: boolean;
  readonly inTransaction: boolean;
}

interface BetterSqlite3Module {
  readonly default: new (filename: string, options?: { readonly timeout?: number }) => SqliteDatabaseLike;
}

/** A SQLite database file (or a memory database) through better-sqlite3. Synchronous underneath. */
export class SqliteConnection implements Connection {
  constructor(
    readonly database: SqliteDatabaseLike,
    /** Absolute path of the file; undefined for a memory database. */
    readonly filename: string | undefined,
    private readonly owned: boolean,
  ) {}

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const statement = this.database.prepare(sql);
    const values = params.map(toSqliteValue);
    if (statement.reader) {
      const rows = statement.all(...values);
      return { rows, rowCount: rows.length };
    }
    return { rows: [], rowCount: statement.run(...values).changes };
  }

  async exec(sql: string): Promise<void> {
    this.database.exec(sql);
  }

  async close(): Promise<void> {
    if (this.owned) this.database.close();
  }
}

/**
 * SQLite stores numbers, text, blobs and NULL: whole numbers are bound as integers, booleans become 1 and 0, dates ISO 8601 text (UTC), arrays and
 * plain objects JSON text, the way ambix's own tables and the SQLite renderer's literals write them.
 */
export function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  // better-sqlite3 binds every JavaScript number as REAL; a whole number goes in as an INTEGER, as a literal would.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
    return JSON.stringify(value);
  return value;
}

/** Wraps an application's better-sqlite3 `Database`; ambix leaves it open. */
export function fromSqliteDatabase(database: SqliteDatabaseLike): SqliteConnection {
  return new SqliteConnection(database, database.memory ? undefined : database.name, false);
}

export interface ConnectSqliteOptions {
  /** How better-sqlite3 is imported; tests inject one that fails. */
  readonly importer?: ModuleImporter;
}

/**
 * Opens a database file (created when missing, in a directory that must exist) or, with `filename` undefined, a
 * private memory database. `PRAGMA foreign_keys` stays off, as SQLite has it by default: rebuilding a table
 * ("move and copy") drops the old one, which must not cascade, and foreign keys are checked with
 * `PRAGMA foreign_key_check` after each rebuild instead.
 */
export async function connectSqlite(
  filename: string | undefined,
  options: ConnectSqliteOptions = {},
): Promise<SqliteConnection> {
  const module = (await loadDriver('sqlite', options.importer ?? importModule)) as BetterSqlite3Module;
  const shown = filename ?? ':memory:';
  if (filename !== undefined) {
    const directory = dirname(filename);
    if (!existsSync(directory) || !statSync(directory).isDirectory()) {
      throw new AmbixError(
        'CONNECTION_FAILED',
        `Cannot open the SQLite database ${filename}: the directory ${directory} does not exist.`,
        { hint: 'Create the directory, or fix the path in the database URL (sqlite:./path/to/file.db).' },
      );
    }
  }
  let database: SqliteDatabaseLike;
  try {
    // No busy timeout here: better-sqlite3 waits synchronously, blocking the process; the lock polls instead.
    database = new module.default(filename ?? ':memory:', { timeout: 0 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AmbixError('CONNECTION_FAILED', `Cannot open the SQLite database ${shown}: ${reason}`, {
      hint: 'Check that the path is a SQLite database file ambix may read and write.',
      cause: error,
    });
  }
  try {
    database.prepare('PRAGMA foreign_keys = OFF').run();
    // Reading the schema fails here, with a clear message, when the file is not a database.
    database.prepare('SELECT count(*) AS n FROM sqlite_schema').all();
  } catch (error) {
    database.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new AmbixError('CONNECTION_FAILED', `Cannot open the SQLite database ${shown}: ${reason}`, {
      hint: 'Check that the path is a SQLite database file (not another kind of file).',
      cause: error,
    });
  }
  return new SqliteConnection(database, filename, true);
}
