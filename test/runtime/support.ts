/**
 * What the runtime's integration tests share: projects of generated migration files, and the databases they run
 * against — PGlite in-process, a database of its own on the PostgreSQL server (AMBIX_TEST_PG_URL), a SQLite file,
 * and a database of its own on the MySQL/MariaDB server (AMBIX_TEST_MYSQL_URL). `DIALECTS=sqlite,pglite` limits
 * a run to some of them.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import type { AmbixConfig } from '../../src/config/define-config.js';
import { type ResolvedConfig, resolveConfig } from '../../src/config/resolve-config.js';
import type { DatabaseOptions } from '../../src/runtime/database.js';
import { splitSqlStatements } from '../../src/scripts/sql-statements.js';
import { describeMysql, mysqlAdmin, mysqlUrlForDatabase } from '../dialects/helpers/mysql.js';
import { describePostgres, TEST_PG_URL, urlForDatabase } from '../dialects/helpers/postgres.js';
import { catalogSnapshot } from '../operations/support/databases.js';

export { TEST_PG_URL, urlForDatabase };

/** The databases integration tests run on. */
export type TestDialect = 'pglite' | 'postgres' | 'sqlite' | 'mysql';

export const ALL_DIALECTS: readonly TestDialect[] = ['pglite', 'postgres', 'sqlite', 'mysql'];
export const POSTGRES_DIALECTS: readonly TestDialect[] = ['pglite', 'postgres'];

/** Whether the test database is PostgreSQL (the server or PGlite), for the tests only it can pass. */
export function isPostgres(db: TestDb): boolean {
  return db.kind === 'pglite' || db.kind === 'postgres';
}

/** `DIALECTS=sqlite,pglite npm test` runs the integration tests on those databases only. */
const SELECTED: ReadonlySet<string> | undefined =
  process.env.DIALECTS === undefined || process.env.DIALECTS.trim() === ''
    ? undefined
    : new Set(process.env.DIALECTS.split(',').map((name) => name.trim().toLowerCase()));

function selected(dialect: TestDialect): boolean {
  return SELECTED === undefined || SELECTED.has(dialect);
}

export type Row = Record<string, unknown>;

/** Starting PGlite takes seconds, more on a loaded machine running test files in parallel. */
const HOOK_TIMEOUT = 60_000;

/** A test database: ambix is pointed at it through `settings` (a URL) and `options` (a connection). */
export interface TestDb {
  readonly kind: TestDialect;
  /** Config settings that reach this database (the URL for PostgreSQL). */
  settings(): AmbixConfig;
  /** Options for ambix's API (PGlite: the instance itself, as an application passes it). */
  options(): DatabaseOptions;
  /** A query; `$1`, `$2`… placeholders work on every database (they become `?` on SQLite and MySQL). */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of statements without parameters. */
  exec(sql: string): Promise<void>;
  /**
   * A script run as the database's own client runs a file (an offline script's instructions say how): psql one
   * statement at a time, SQLite's `exec` and MySQL's multi-statement query the whole script at once.
   */
  execScript(sql: string): Promise<void>;
  /**
   * A schema beside the default one, gone with the next `reset`; returns its name. PostgreSQL: `CREATE SCHEMA`.
   * MySQL: a database of its own, named after the test database (the server holds every test file's). SQLite has
   * none: its schemas are databases attached to one connection, and ambix opens its own.
   */
  createSchema(name: string): Promise<string>;
  /** An empty database for the next test. */
  reset(): Promise<void>;
}

/** PGlite in memory, passed to ambix as the application's instance. */
export function usePglite(): TestDb {
  let db: PGlite | undefined;
  const current = (): PGlite => {
    if (db === undefined) throw new Error('PGlite is not open yet');
    return db;
  };
  beforeAll(async () => {
    db = await PGlite.create();
  }, HOOK_TIMEOUT);
  afterAll(async () => {
    await db?.close();
  }, HOOK_TIMEOUT);
  const query = async (sql: string, params?: readonly unknown[]) =>
    (await current().query<Row>(sql, params as unknown[] | undefined)).rows;
  return {
    kind: 'pglite',
    settings: () => ({}),
    options: () => ({ connection: current() }),
    query,
    exec: async (sql) => {
      await current().exec(sql);
    },
    execScript: (sql) => statementByStatement(sql, query),
    createSchema: (name) => createPostgresSchema(name, query),
    // A new PGlite takes seconds to start: empty this one instead.
    reset: () => dropEverything(query),
  };
}

async function statementByStatement(script: string, query: (sql: string) => Promise<Row[]>): Promise<void> {
  for (const statement of splitSqlStatements(script)) await query(statement.sql);
}

async function createPostgresSchema(name: string, query: (sql: string) => Promise<Row[]>): Promise<string> {
  await query(`CREATE SCHEMA "${name.replaceAll('"', '""')}"`);
  return name;
}

/** Drops every schema but the system ones and creates an empty `public`. */
async function dropEverything(query: (sql: string) => Promise<Row[]>): Promise<void> {
  const schemas = await query(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const { nspname } of schemas) {
    await query(`DROP SCHEMA "${String(nspname).replaceAll('"', '""')}" CASCADE`);
  }
  await query('CREATE SCHEMA public AUTHORIZATION pg_database_owner');
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of its own on the server for this test file; `reset` empties it. */
export function usePostgres(file: string): TestDb & { readonly name: string; readonly url: string } {
  const stem = file
    .replace(/^.*[\\/]/, '')
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  const name = `ambix_${stem}_${process.pid}_${randomBytes(3).toString('hex')}`.slice(0, 63);
  const url = urlForDatabase(name);
  let client: pg.Client | undefined;
  const connect = async () => {
    client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
  };
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    await connect();
  }, HOOK_TIMEOUT);
  afterAll(async () => {
    await client?.end().catch(() => {});
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }, HOOK_TIMEOUT);
  const current = (): pg.Client => {
    if (client === undefined) throw new Error('not connected yet');
    return client;
  };
  return {
    kind: 'postgres',
    name,
    url,
    settings: () => ({ url }),
    options: () => ({}),
    query: async (sql, params) => (await current().query<Row>(sql, params as unknown[] | undefined)).rows,
    exec: async (sql) => {
      await current().query(sql);
    },
    execScript: (sql) => statementByStatement(sql, async (text) => (await current().query<Row>(text)).rows),
    createSchema: (schema) =>
      createPostgresSchema(schema, async (sql) => (await current().query<Row>(sql)).rows),
    reset: () => dropEverything(async (sql) => (await current().query<Row>(sql)).rows),
  };
}

/** `$1`, `$2`… as `?` (in order of appearance, with the parameters reordered to match). */
function questionMarks(sql: string, params: readonly unknown[] = []): { sql: string; params: unknown[] } {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_match, index: string) => {
    ordered.push(params[Number(index) - 1]);
    return '?';
  });
  return { sql: text, params: ordered };
}

/** A SQLite database file of its own for this test file; `reset` starts a new file. */
export function useSqlite(): TestDb & { readonly file: () => string } {
  let dir: string | undefined;
  let db: Database.Database | undefined;
  let generation = 0;
  const open = () => {
    dir ??= mkdtempSync(join(tmpdir(), 'ambix-sqlite-'));
    generation += 1;
    db = new Database(join(dir, `test-${generation}.db`));
  };
  const current = (): Database.Database => {
    if (db === undefined) throw new Error('SQLite is not open yet');
    return db;
  };
  beforeAll(open);
  afterAll(() => {
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const query = async (sql: string, params?: readonly unknown[]) => {
    const converted = questionMarks(sql, params);
    const statement = current().prepare(converted.sql);
    const values = converted.params.map((value) => (typeof value === 'boolean' ? Number(value) : value));
    if (statement.reader) return statement.all(...values) as Row[];
    statement.run(...values);
    return [];
  };
  return {
    kind: 'sqlite',
    file: () => current().name,
    settings: () => ({ url: `sqlite:${current().name}` }),
    options: () => ({}),
    query,
    exec: async (sql) => {
      current().exec(sql);
    },
    // As `sqlite3 -bail DATABASE < FILE` runs it: statement after statement, stopping at the first error.
    execScript: async (sql) => {
      current().exec(sql);
    },
    createSchema: async () => {
      throw new Error(
        'SQLite has no schema an ambix connection can reach (an ATTACHed database is per connection)',
      );
    },
    reset: async () => {
      const old = current();
      old.close();
      rmSync(old.name, { force: true });
      open();
    },
  };
}

/** A database of its own on the MySQL/MariaDB server for this test file; `reset` empties it. */
export function useMysql(file: string): TestDb & { readonly name: string; readonly url: string } {
  const stem = file
    .replace(/^.*[\\/]/, '')
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  const name = `ambix_${stem}_${process.pid}_${randomBytes(3).toString('hex')}`.slice(0, 64);
  const url = mysqlUrlForDatabase(name);
  let connection: mysql.Connection | undefined;
  /** Databases made by createSchema, dropped on reset. */
  const besides = new Set<string>();
  const dropBesides = async () => {
    for (const database of besides) await mysqlAdmin(`DROP DATABASE IF EXISTS \`${database}\``);
    besides.clear();
  };
  beforeAll(async () => {
    await mysqlAdmin(`CREATE DATABASE \`${name}\``);
    connection = await mysql.createConnection({ uri: url, multipleStatements: true, dateStrings: true });
    await connection.query("SET time_zone = '+00:00'");
  }, HOOK_TIMEOUT);
  afterAll(async () => {
    await connection?.end().catch(() => {});
    await mysqlAdmin(`DROP DATABASE IF EXISTS \`${name}\``);
    await dropBesides();
  }, HOOK_TIMEOUT);
  const current = (): mysql.Connection => {
    if (connection === undefined) throw new Error('not connected yet');
    return connection;
  };
  const query = async (sql: string, params?: readonly unknown[]) => {
    const converted = questionMarks(sql, params);
    const [rows] = await current().query(converted.sql, converted.params);
    return Array.isArray(rows) ? (rows as Row[]) : [];
  };
  return {
    kind: 'mysql',
    name,
    url,
    settings: () => ({ url }),
    options: () => ({}),
    query,
    exec: async (sql) => {
      await current().query(sql);
    },
    // As `mysql DATABASE < FILE` runs it: the whole script, stopping at the first error.
    execScript: async (sql) => {
      await current().query(sql);
    },
    createSchema: async (schema) => {
      const database = `${name}_${schema}`;
      besides.add(database);
      await query(`CREATE DATABASE \`${database}\``);
      return database;
    },
    reset: async () => {
      await dropBesides();
      await query(`DROP DATABASE \`${name}\``);
      await query(`CREATE DATABASE \`${name}\``);
      await query(`USE \`${name}\``);
    },
  };
}

/**
 * Runs `body` once per database: PGlite and SQLite always, the PostgreSQL and MySQL servers when reachable (always
 * in CI). Each test starts from an empty database. `dialects` names the databases the tests apply to (default:
 * PGlite and PostgreSQL); `DIALECTS` in the environment narrows them further.
 */
export function describeEachDatabase(
  title: string,
  file: string,
  body: (db: TestDb) => void,
  dialects: readonly TestDialect[] = POSTGRES_DIALECTS,
): void {
  const wanted = (dialect: TestDialect) => dialects.includes(dialect) && selected(dialect);
  if (!dialects.some(wanted)) {
    // A file with no test fails the run: say why these are not run.
    describe.skip(`${title} (none of ${dialects.join(', ')} is in DIALECTS)`, () => {
      it('runs on another database', () => {});
    });
    return;
  }
  if (wanted('pglite')) {
    describe(`${title} (PGlite)`, () => {
      const db = usePglite();
      afterEach(() => db.reset(), HOOK_TIMEOUT);
      body(db);
    });
  }
  if (wanted('postgres')) {
    describePostgres(`${title} (PostgreSQL)`, () => {
      const db = usePostgres(file);
      afterEach(() => db.reset(), HOOK_TIMEOUT);
      body(db);
    });
  }
  if (wanted('sqlite')) {
    describe(`${title} (SQLite)`, () => {
      const db = useSqlite();
      afterEach(() => db.reset(), HOOK_TIMEOUT);
      body(db);
    });
  }
  if (wanted('mysql')) {
    describeMysql(`${title} (MariaDB)`, () => {
      const db = useMysql(file);
      afterEach(() => db.reset(), HOOK_TIMEOUT);
      body(db);
    });
  }
}

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface MigrationSpec {
  readonly id: string;
  readonly down?: string | readonly string[] | null;
  readonly message?: string;
  readonly branchLabels?: readonly string[];
  readonly dependsOn?: readonly string[];
  /** `false`: the migration runs outside a transaction. */
  readonly transaction?: boolean;
  /** Body of `upgrade(op)`; default: create table `t_<id>` and log the step. */
  readonly upgrade?: string;
  /** Body of `downgrade(op)`; default: drop table `t_<id>` and log the step. */
  readonly downgrade?: string;
}

/** A folder with migration files, and the config that points at it. */
export interface TestProject {
  readonly dir: string;
  write(path: string, text: string): string;
  /** Writes a TypeScript migration; returns its path. */
  migration(spec: MigrationSpec): string;
  config(settings?: AmbixConfig): Promise<ResolvedConfig>;
}

export function testProject(): TestProject {
  const dir = mkdtempSync(join(tmpdir(), 'ambix-runtime-'));
  folders.push(dir);
  const write = (path: string, text: string): string => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  return {
    dir,
    write,
    migration: (spec) => write(`migrations/${spec.id}.ts`, tsMigration(spec)),
    config: (settings = {}) => resolveConfig({ cwd: dir, env: {}, config: { ...settings } }),
  };
}

const literal = (value: string | readonly string[] | null): string =>
  value === null
    ? 'null'
    : typeof value === 'string'
      ? JSON.stringify(value)
      : `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;

/**
 * The step log: every default migration body records which revision ran and in which direction, inside the run.
 * A test reads it back to check which migrations really ran, in what order (the history table says where the
 * version table stood before and after each of them).
 */
export const STEP_LOG =
  'CREATE TABLE IF NOT EXISTS step_log (n integer PRIMARY KEY, revision varchar(64), direction varchar(8))';

function logStep(id: string, direction: 'up' | 'down'): string {
  // Numbered by hand: the one INSERT … SELECT every database runs alike (no serial, rowid or AUTO_INCREMENT).
  return `await op.execute(${JSON.stringify(STEP_LOG)});
  await op.execute("INSERT INTO step_log (n, revision, direction) SELECT COALESCE(MAX(n), 0) + 1, '${id}', '${direction}' FROM step_log");`;
}

export function tsMigration(spec: MigrationSpec): string {
  const down = spec.down ?? null;
  const upgrade =
    spec.upgrade ??
    `await op.createTable('t_${spec.id}', [{ name: 'id', type: 'integer', primaryKey: true }]);
  ${logStep(spec.id, 'up')}`;
  const downgrade =
    spec.downgrade ??
    `await op.dropTable('t_${spec.id}');
  ${logStep(spec.id, 'down')}`;
  return [
    '/**',
    ` * ${spec.message ?? `step ${spec.id}`}`,
    ' *',
    ` * Revision ID: ${spec.id}`,
    ` * Revises: ${down === null ? '' : typeof down === 'string' ? down : down.join(', ')}`,
    ' * Create Date: 2026-11-21 10:00:00.000000',
    ' */',
    "import type { Operations } from 'ambix';",
    "import { sql } from 'ambix';",
    '',
    `export const revision = ${JSON.stringify(spec.id)};`,
    `export const downRevision = ${literal(down)};`,
    ...(spec.branchLabels ? [`export const branchLabels = ${literal(spec.branchLabels)};`] : []),
    ...(spec.dependsOn ? [`export const dependsOn = ${literal(spec.dependsOn)};`] : []),
    ...(spec.transaction === false ? ['export const transaction = false;'] : []),
    'void sql;',
    '',
    `export async function upgrade(op: Operations): Promise<void> {\n  ${upgrade}\n}`,
    '',
    `export async function downgrade(op: Operations): Promise<void> {\n  ${downgrade}\n}`,
    '',
  ].join('\n');
}

/** The version table's rows, sorted. */
export async function versionRows(db: TestDb, table = 'ambix_version', schema?: string): Promise<string[]> {
  const name = `${schema === undefined ? '' : `${quoteName(db, schema)}.`}${quoteName(db, table)}`;
  const rows = await db.query(`SELECT version_num FROM ${name}`);
  return rows.map((row) => String(row.version_num)).sort();
}

/** An identifier quoted for the test database: backticks on MySQL, double quotes elsewhere. */
export function quoteName(db: TestDb, name: string): string {
  return db.kind === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

export interface LoggedStep {
  readonly revision: string;
  readonly direction: string;
}

/** The step log, in order, and emptied for the next run. */
export async function takeStepLog(db: TestDb): Promise<LoggedStep[]> {
  if (!(await tableExists(db, 'step_log'))) return [];
  const rows = await db.query('SELECT revision, direction FROM step_log ORDER BY n');
  await db.exec('DELETE FROM step_log');
  return rows.map((row) => ({ revision: String(row.revision), direction: String(row.direction) }));
}

export interface HistoryRow {
  readonly revision: string | null;
  readonly direction: string;
  readonly from_heads: string[];
  readonly to_heads: string[];
  readonly checksum: string | null;
  readonly error: string | null;
  readonly duration_ms: number | null;
  readonly host_name: string | null;
  readonly ambix_version: string | null;
  readonly db_user: string | null;
}

/** The history table's rows in order; heads as arrays on every database (JSON text outside PostgreSQL). */
export async function historyRows(db: TestDb, table = 'ambix_history'): Promise<HistoryRow[]> {
  const quoted = quoteName(db, table);
  const rows = await db.query(
    `SELECT revision, direction, from_heads, to_heads, checksum, error, duration_ms, host_name, ambix_version, db_user
       FROM ${quoted} ORDER BY id`,
  );
  const heads = (value: unknown): string[] =>
    typeof value === 'string' ? (JSON.parse(value) as string[]) : (value as string[]);
  return rows.map((row) => ({
    ...row,
    from_heads: heads(row.from_heads),
    to_heads: heads(row.to_heads),
    duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
  })) as unknown as HistoryRow[];
}

/** Whether a table exists in the default schema (`public`, SQLite's `main`, the MySQL test database). */
export async function tableExists(db: TestDb, name: string): Promise<boolean> {
  const rows = await db.query(TABLE_EXISTS[db.kind], [name]);
  return rows.length > 0;
}

const TABLE_EXISTS: Readonly<Record<TestDialect, string>> = {
  pglite:
    "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = $1",
  postgres:
    "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = $1",
  sqlite: "SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = $1",
  mysql: 'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = $1',
};

/** The tables of the default schema, sorted (in JavaScript's order: the databases' collations differ). */
export async function tableNames(db: TestDb): Promise<string[]> {
  const rows = await db.query(TABLE_NAMES[db.kind]);
  return rows.map((row) => String(row.name)).sort();
}

const PG_TABLE_NAMES =
  "SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'";
const TABLE_NAMES: Readonly<Record<TestDialect, string>> = {
  pglite: PG_TABLE_NAMES,
  postgres: PG_TABLE_NAMES,
  sqlite: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  mysql:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
};

/** The names of a table's columns, in their order. */
export async function columnNames(db: TestDb, table: string): Promise<string[]> {
  const rows = await db.query(COLUMN_NAMES[db.kind], [table]);
  return rows.map((row) => String(row.name));
}

const PG_COLUMN_NAMES = `SELECT column_name AS name FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`;
const COLUMN_NAMES: Readonly<Record<TestDialect, string>> = {
  pglite: PG_COLUMN_NAMES,
  postgres: PG_COLUMN_NAMES,
  sqlite: 'SELECT name FROM pragma_table_info($1) ORDER BY cid',
  mysql: `SELECT column_name AS name FROM information_schema.columns
    WHERE table_schema = DATABASE() AND table_name = $1 ORDER BY ordinal_position`,
};

/** The names of a table's indexes, sorted; those that back a primary key or a unique constraint left out. */
export async function indexNames(db: TestDb, table: string): Promise<string[]> {
  const rows = await db.query(INDEX_NAMES[db.kind], [table]);
  return rows.map((row) => String(row.name)).sort();
}

const PG_INDEX_NAMES = `SELECT i.relname AS name FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  WHERE t.relnamespace = 'public'::regnamespace AND t.relname = $1
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`;
const INDEX_NAMES: Readonly<Record<TestDialect, string>> = {
  pglite: PG_INDEX_NAMES,
  postgres: PG_INDEX_NAMES,
  // A constraint's index is SQLite's own (sqlite_autoindex_…), without SQL.
  sqlite: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL",
  mysql: `SELECT DISTINCT s.index_name AS name FROM information_schema.statistics s
    WHERE s.table_schema = DATABASE() AND s.table_name = $1 AND s.index_name <> 'PRIMARY'
      AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c
                       WHERE c.table_schema = s.table_schema AND c.table_name = s.table_name
                         AND c.constraint_name = s.index_name AND c.constraint_type = 'UNIQUE')`,
};

/**
 * The schema of the database as its catalog describes it: tables, columns, constraints, indexes and the rest.
 * Two databases with equal snapshots have the same schema. PostgreSQL: the catalog tables; SQLite: the DDL it
 * keeps; MySQL: each table's SHOW CREATE TABLE (its AUTO_INCREMENT counter left out: data, not schema).
 */
export async function schemaSnapshot(db: TestDb): Promise<Record<string, unknown>> {
  switch (db.kind) {
    case 'pglite':
    case 'postgres':
      return catalogSnapshot({
        name: db.kind,
        query: (sql, params) => db.query(sql, params),
        exec: (sql) => db.exec(sql),
        close: async () => {},
      });
    case 'sqlite':
      return {
        schema: await db.query('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name'),
      };
    case 'mysql': {
      const snapshot: Record<string, unknown> = {};
      const tables = await db.query(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
      );
      for (const { name } of tables) {
        const [row] = await db.query(`SHOW CREATE TABLE ${quoteName(db, String(name))}`);
        const definition = String(row?.['Create Table'] ?? row?.['Create View']);
        snapshot[String(name)] = definition.replace(/ AUTO_INCREMENT=\d+/, '');
      }
      return snapshot;
    }
  }
}
