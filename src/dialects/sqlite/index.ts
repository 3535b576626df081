import type { Dialect } from '../dialect.js';
import { parseDatabaseUrl } from '../url.js';
import { sqliteAdapter } from './adapter.js';
import { connectSqlite } from './driver.js';
import { sqliteIntrospector } from './introspect.js';
import { sqliteRenderer } from './renderer.js';
import { sqliteState } from './state.js';

export { createSqliteAdapter, SQLITE_CAPABILITIES, sqliteAdapter } from './adapter.js';
export type { SqliteDatabaseLike } from './driver.js';
export { connectSqlite, fromSqliteDatabase, SqliteConnection } from './driver.js';
export { sqliteState } from './state.js';

/** SQLite through better-sqlite3 (loaded on first use): a file, or a memory database. */
export const sqliteDialect: Dialect = Object.freeze({
  name: 'sqlite',
  renderer: sqliteRenderer,
  adapter: sqliteAdapter,
  state: sqliteState,
  defaultSchema: 'main',
  introspector: sqliteIntrospector,
  /** Relative paths are resolved against `process.cwd()`; use `openConnection(url, { cwd })` for another. */
  connect: async (url: string) => {
    const parsed = parseDatabaseUrl(url);
    return connectSqlite(parsed.dialect === 'sqlite' ? parsed.filename : undefined);
  },
});
