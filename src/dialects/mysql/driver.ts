import { AmbixError } from '../../errors.js';
import type { Connection, QueryResult, Sql } from '../dialect.js';
import { importModule, loadDriver, type ModuleImporter } from '../driver-loader.js';
import { maskUrl } from '../url.js';

/** What ambix needs from a mysql2/promise connection (an application's own connection fits). */
export interface MysqlConnectionLike {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
}

interface OwnedMysqlConnection extends MysqlConnectionLike {
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

interface Mysql2Module {
  createConnection(options: Record<string, unknown>): Promise<OwnedMysqlConnection>;
}

/** A MySQL or MariaDB session through mysql2. */
export class MysqlConnection implements Connection {
  /** Present when the session takes several statements in one query (see {@link Connection.batch}). */
  readonly batch?: (statements: readonly Sql[]) => Promise<readonly QueryResult[]>;

  constructor(
    readonly client: MysqlConnectionLike,
    private readonly end: (() => Promise<void>) | undefined,
    multipleStatements = false,
  ) {
    if (multipleStatements) this.batch = (statements) => this.queryBatch(statements);
  }

  async query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    const [result] = await this.client.query(sql, params?.map(toMysqlValue));
    return queryResult(result);
  }

  /** The statements as one multi-statement query: mysql2 fills the `?` placeholders in order. */
  private async queryBatch(statements: readonly Sql[]): Promise<readonly QueryResult[]> {
    if (statements.length === 1) return [await this.query(statements[0]!.sql, statements[0]!.params)];
    // Each on lines of its own: a statement ending in a line comment does not swallow the separator.
    const sql = statements.map((statement) => statement.sql).join('\n;\n');
    const params = statements.flatMap((statement) => statement.params ?? []);
    const [results] = await this.client.query(sql, params.map(toMysqlValue));
    return (results as unknown[]).map(queryResult);
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async close(): Promise<void> {
    await this.end?.();
  }
}

/**
 * Values as MySQL takes them: dates as UTC `YYYY-MM-DD HH:MM:SS.fff` (what a DATETIME(3) column stores; the ISO
 * `T…Z` form is refused in strict mode), arrays and plain objects as JSON text (mysql2 would expand an array into
 * a list).
 */
export function toMysqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
    return JSON.stringify(value);
  return value;
}

/** A result of mysql2's: rows, or the header of a statement that returns none. */
function queryResult(result: unknown): QueryResult {
  if (Array.isArray(result)) {
    const rows = result as Record<string, unknown>[];
    return { rows, rowCount: rows.length };
  }
  const header = result as { affectedRows?: number; insertId?: number | string };
  const insertId = Number(header.insertId ?? 0);
  return {
    rows: [],
    rowCount: Number(header.affectedRows ?? 0),
    ...(insertId > 0 ? { insertId } : {}),
  };
}

/** Wraps an application's mysql2/promise connection; ambix leaves it open. */
export function fromMysqlClient(client: MysqlConnectionLike): MysqlConnection {
  const { config } = client as { config?: { multipleStatements?: boolean } };
  return new MysqlConnection(client, undefined, config?.multipleStatements === true);
}

export interface ConnectMysqlOptions {
  /** How mysql2 is imported; tests inject one that fails. */
  readonly importer?: ModuleImporter;
}

/**
 * Connects to a `mysql://` or `mariadb://` URL (`user:password@host:port/database`, query parameters passed on to
 * mysql2). Results keep dates as text and big numbers exact, and several statements may be sent at once (a SQL
 * migration file's section).
 */
export async function connectMysql(url: string, options: ConnectMysqlOptions = {}): Promise<MysqlConnection> {
  const mysql = (await loadDriver('mysql', options.importer ?? importModule)) as Mysql2Module;
  const uri = url.replace(/^mariadb:/i, 'mysql:');
  let client: OwnedMysqlConnection;
  try {
    client = await mysql.createConnection({
      uri,
      multipleStatements: true,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
      connectTimeout: 30_000,
    });
  } catch (error) {
    throw connectionFailed(url, error);
  }
  // A session the server drops emits 'error'; unhandled, that would crash the process. The next query fails.
  client.on('error', () => {});
  // Times in ambix's history table are UTC, whatever the server's time zone.
  await client.query("SET time_zone = '+00:00'");
  return new MysqlConnection(client, () => client.end().catch(() => {}), true);
}

function connectionFailed(url: string, error: unknown): AmbixError {
  const cause = error as { code?: string; message?: string } | undefined;
  const reason = (cause?.message ?? String(error)).split('\n')[0];
  return new AmbixError('CONNECTION_FAILED', `Cannot connect to ${maskUrl(url)}: ${reason}`, {
    hint: mysqlHint(cause?.code),
    details: { url: maskUrl(url), ...(cause?.code === undefined ? {} : { code: cause.code }) },
    cause: error,
  });
}

function mysqlHint(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'Is the MySQL/MariaDB server running, and listening on that host and port?';
    case 'ENOTFOUND':
      return 'The host name does not resolve: check the host in the URL.';
    case 'ER_ACCESS_DENIED_ERROR':
      return 'Check the user name and password in the URL (percent-encode special characters).';
    case 'ER_BAD_DB_ERROR':
      return 'Create the database first (CREATE DATABASE …), or fix its name in the URL.';
    default:
      return 'Check the URL (mysql://user:password@host:3306/database) and that the server accepts connections.';
  }
}
