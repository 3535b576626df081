import type { Connection, Dialect, DialectName } from './dialect.js';
import type { ModuleImporter } from './driver-loader.js';
import { connectMysql, mysqlDialect } from './mysql/index.js';
import { connectPglite, pgliteDialect } from './pglite/index.js';
import { connectPostgres, postgresDialect } from './postgres/index.js';
import { connectSqlite, sqliteDialect } from './sqlite/index.js';
import { parseDatabaseUrl } from './url.js';

export type {
  Adapter,
  Capabilities,
  Connection,
  Dialect,
  DialectName,
  LockHolder,
  LockOptions,
  QueryResult,
  RenderContext,
  Renderer,
  Sql,
  StateSql,
  TableReference,
} from './dialect.js';
export type { ModuleImporter } from './driver-loader.js';
export { DRIVER_PACKAGES, importModule, loadDriver } from './driver-loader.js';
export { advisoryLockId, advisoryLockTag, describeLockKey, migrationLockKey } from './lock-key.js';
export { DEFAULT_BACKOFF } from './lock-wait.js';
export type { MysqlConnectionLike } from './mysql/index.js';
export {
  connectMysql,
  createMysqlAdapter,
  fromMysqlClient,
  MysqlConnection,
  mysqlAdapter,
  mysqlDialect,
} from './mysql/index.js';
export type { PGliteLike } from './pglite/index.js';
export {
  connectPglite,
  createPgliteAdapter,
  fromPGlite,
  lockFilePath,
  PgliteConnection,
  pgliteAdapter,
  pgliteDialect,
} from './pglite/index.js';
export type { PgClientLike } from './postgres/index.js';
export {
  connectPostgres,
  createPostgresAdapter,
  fromClient,
  PostgresConnection,
  pgConnectPlan,
  postgresAdapter,
  postgresDialect,
} from './postgres/index.js';
export type { SqliteDatabaseLike } from './sqlite/index.js';
export {
  connectSqlite,
  createSqliteAdapter,
  fromSqliteDatabase,
  SqliteConnection,
  sqliteAdapter,
  sqliteDialect,
} from './sqlite/index.js';
export type { DatabaseUrl, MysqlUrl, ParseUrlOptions, PgliteUrl, PostgresUrl, SqliteUrl } from './url.js';
export { DEFAULT_URL, maskUrl, parseDatabaseUrl, SUPPORTED_SCHEMES } from './url.js';

/** Every dialect, by name. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = Object.freeze({
  postgres: postgresDialect,
  pglite: pgliteDialect,
  sqlite: sqliteDialect,
  mysql: mysqlDialect,
});

/** The dialect for a URL (`undefined`: the default embedded database). Throws BAD_URL for unknown schemes. */
export function dialectForUrl(url: string | undefined, options: { readonly cwd?: string } = {}): Dialect {
  return DIALECTS[parseDatabaseUrl(url, options).dialect];
}

export interface OpenConnectionOptions {
  /** Directory relative `pglite:` and `sqlite:` paths are resolved against (the config's cwd); default `process.cwd()`. */
  readonly cwd?: string;
  /** How drivers are imported; tests inject one that simulates a missing package. */
  readonly importer?: ModuleImporter;
  /** Extensions PGlite loads when it opens the database (the `pglite.extensions` setting); ignored for others. */
  readonly pgliteExtensions?: readonly string[];
}

/**
 * Opens a connection for a URL (`undefined`: {@link DEFAULT_URL}), loading its driver on first use. Errors are
 * AmbixErrors: BAD_URL, DRIVER_MISSING, CONNECTION_FAILED.
 */
export async function openConnection(
  url: string | undefined,
  options: OpenConnectionOptions = {},
): Promise<Connection> {
  const parsed = parseDatabaseUrl(url, options.cwd === undefined ? {} : { cwd: options.cwd });
  const driverOptions = options.importer === undefined ? {} : { importer: options.importer };
  switch (parsed.dialect) {
    case 'postgres':
      return connectPostgres(parsed.url, driverOptions);
    case 'pglite':
      return connectPglite(parsed.dataDir, { ...driverOptions, extensions: options.pgliteExtensions ?? [] });
    case 'sqlite':
      return connectSqlite(parsed.filename, driverOptions);
    case 'mysql':
      return connectMysql(parsed.url, driverOptions);
  }
}
