/**
 * What the example tests share: a fresh database per example on each backend (an application-owned PGlite in a
 * temporary folder, a database of its own on the PostgreSQL server, a SQLite file in a temporary folder, a
 * database of its own on the MariaDB server), the ambix commands bound to one example and one database, and
 * catalog queries written for each kind of database. `DIALECTS=sqlite,pglite` limits a run to some backends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Extension, PGlite } from '@electric-sql/pglite';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadVectorExtension } from '../../src/dialects/pglite/driver.js';
import {
  type ApplicationConnection,
  current,
  type DatabaseKind,
  downgrade,
  type MigrateResult,
  resolveConfig,
  type StampResult,
  stamp,
  upgrade,
} from '../../src/index.js';
import { mysqlAdmin, mysqlUrlForDatabase } from '../dialects/helpers/mysql.js';
import { TEST_PG_URL, urlForDatabase } from '../dialects/helpers/postgres.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

export function exampleDir(example: string): string {
  return join(EXAMPLES_DIR, example);
}

export type Row = Record<string, unknown>;

/** A database for one example, empty when opened. */
export interface ExampleDatabase {
  /** What the catalog queries below are written for (PGlite is `postgresql`). */
  readonly kind: DatabaseKind;
  /** The URL ambix is given; undefined when it runs on `connection` instead. */
  readonly url: string | undefined;
  /** The application's own connection, which ambix runs on and leaves open. */
  readonly connection: ApplicationConnection | undefined;
  /** A query; `$1`, `$2`… placeholders work on every database (they become `?` on SQLite and MariaDB). */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements, as `psql -f` does. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Where example databases come from. */
export interface ExampleBackend {
  readonly name: 'PGlite' | 'PostgreSQL' | 'SQLite' | 'MariaDB';
  open(label: string): Promise<ExampleDatabase>;
}

/** A PostgreSQL backend, on which the PostgreSQL-specific examples run too. */
export interface Backend extends ExampleBackend {
  readonly name: 'PGlite' | 'PostgreSQL';
  /** Whether `CREATE EXTENSION vector` can work; when not, `vectorMissing` says why. */
  readonly vectorMissing: string | undefined;
}

/** The backends `DIALECTS` names by these words, as in the other integration tests. */
export type BackendId = 'pglite' | 'postgres' | 'sqlite' | 'mysql';

/** Whether `DIALECTS` (unset: every backend) asks for this backend. */
export function backendSelected(id: BackendId): boolean {
  const wanted = process.env.DIALECTS?.trim();
  return wanted === undefined || wanted === '' || wanted.split(',').some((name) => name.trim() === id);
}

/**
 * PGlite as an application embeds it: the application creates the instance with the extensions its schema needs
 * (here `uuid-ossp`, and pgvector when `@electric-sql/pglite-pgvector` is installed) in a data directory, and hands
 * it to ambix, which runs on it and leaves it open.
 */
export async function pgliteBackend(): Promise<Backend> {
  const vector = (await loadVectorExtension()) as Extension | undefined;
  return {
    name: 'PGlite',
    vectorMissing:
      vector === undefined
        ? 'pgvector is not available to PGlite: the package @electric-sql/pglite-pgvector is not installed'
        : undefined,
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), 'ambix-example-'));
      const db = await PGlite.create(dataDir, {
        extensions: { uuid_ossp, ...(vector === undefined ? {} : { vector }) },
      });
      return {
        kind: 'postgresql',
        url: undefined,
        connection: db,
        query: async <T extends Row>(sql: string, params?: readonly unknown[]) =>
          (await db.query<T>(sql, params === undefined ? undefined : [...params])).rows,
        exec: async (sql) => {
          await db.exec(sql);
        },
        close: async () => {
          await db.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** A database of its own on the PostgreSQL server per example, dropped on close; ambix connects by URL. */
export async function postgresBackend(): Promise<Backend> {
  let vectorMissing: string | undefined;
  try {
    const rows = await adminQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (rows.length === 0) {
      vectorMissing =
        'pgvector is not installed on the PostgreSQL server (no "vector" in pg_available_extensions; install the ' +
        'postgresql-NN-pgvector package of the PostgreSQL apt repository to run this check)';
    }
  } catch (error) {
    vectorMissing = `cannot ask the PostgreSQL server about pgvector: ${String(error)}`;
  }
  return {
    name: 'PostgreSQL',
    vectorMissing,
    async open(label) {
      const name = databaseName(label, 63);
      await adminQuery(`CREATE DATABASE "${name}"`);
      const url = urlForDatabase(name);
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      return {
        kind: 'postgresql',
        url,
        connection: undefined,
        query: async <T extends Row>(sql: string, params?: readonly unknown[]) =>
          (await client.query<T>(sql, params === undefined ? undefined : [...params])).rows,
        exec: async (sql) => {
          await client.query(sql);
        },
        close: async () => {
          await client.end().catch(() => {});
          await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        },
      };
    },
  };
}

/**
 * A SQLite file of its own per example in a temporary folder, removed on close; ambix connects by URL. The test's
 * own connection enforces foreign keys (`PRAGMA foreign_keys = ON`), as an application's does: SQLite leaves them
 * off per connection, and ambix keeps them off on its own while it migrates.
 */
export function sqliteBackend(): ExampleBackend {
  return {
    name: 'SQLite',
    async open(label) {
      const dir = mkdtempSync(join(tmpdir(), 'ambix-example-'));
      const file = join(dir, `${label.replace(/[^a-z0-9]+/gi, '_')}.db`);
      const db = new Database(file);
      db.pragma('foreign_keys = ON');
      return {
        kind: 'sqlite',
        url: `sqlite:${file}`,
        connection: undefined,
        query: async <T extends Row>(sql: string, params?: readonly unknown[]) => {
          const converted = questionMarks(sql, params);
          const statement = db.prepare(converted.sql);
          // SQLite stores booleans as 0 and 1, and better-sqlite3 binds no booleans.
          const values = converted.params.map((value) =>
            typeof value === 'boolean' ? Number(value) : value,
          );
          if (statement.reader) return statement.all(...values) as T[];
          statement.run(...values);
          return [];
        },
        exec: async (sql) => {
          db.exec(sql);
        },
        close: async () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** A database of its own on the MariaDB server per example, dropped on close; ambix connects by URL. */
export function mariadbBackend(): ExampleBackend {
  return {
    name: 'MariaDB',
    async open(label) {
      const name = databaseName(label, 64);
      await mysqlAdmin(`CREATE DATABASE \`${name}\``);
      const url = mysqlUrlForDatabase(name);
      const connection = await mysql.createConnection({ uri: url, multipleStatements: true });
      return {
        kind: 'mysql',
        url,
        connection: undefined,
        query: async <T extends Row>(sql: string, params?: readonly unknown[]) => {
          const converted = questionMarks(sql, params);
          const [rows] = await connection.query(converted.sql, converted.params);
          return Array.isArray(rows) ? (rows as T[]) : [];
        },
        exec: async (sql) => {
          await connection.query(sql);
        },
        close: async () => {
          await connection.end().catch(() => {});
          await mysqlAdmin(`DROP DATABASE IF EXISTS \`${name}\``);
        },
      };
    },
  };
}

/** A database name no other run or test uses at the same time. */
function databaseName(label: string, maxLength: number): string {
  return `ambix_example_${label.replace(/[^a-z0-9]+/gi, '_')}_${process.pid}_${randomBytes(3).toString('hex')}`
    .toLowerCase()
    .slice(0, maxLength);
}

/** `$1`, `$2`… as `?`, with the parameters in the order the marks come (a `$n` may come twice). */
function questionMarks(sql: string, params: readonly unknown[] = []): { sql: string; params: unknown[] } {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_match, index: string) => {
    ordered.push(params[Number(index) - 1]);
    return '?';
  });
  return { sql: text, params: ordered };
}

async function adminQuery(sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** ambix's commands for one example on one database, through the programmatic API. */
export interface Ambix {
  upgrade(target: string, x?: Readonly<Record<string, string>>): Promise<MigrateResult>;
  downgrade(target: string): Promise<MigrateResult>;
  stamp(target: string): Promise<StampResult>;
  /** The version table's rows. */
  current(): Promise<string[]>;
}

export function ambixFor(example: string, db: ExampleDatabase): Ambix {
  const config = (x: Readonly<Record<string, string>> = {}) =>
    resolveConfig({
      cwd: exampleDir(example),
      ...(db.url === undefined ? {} : { url: db.url }),
      x,
      // The examples' own defaults (DB_HOST…, DATABASE_URL) never leak in from the environment of the test run.
      env: {},
    });
  const options = db.connection === undefined ? {} : { connection: db.connection };
  return {
    upgrade: async (target, x) => upgrade(await config(x), target, options),
    downgrade: async (target) => downgrade(await config(), target, options),
    stamp: async (target) => stamp(await config(), target, options),
    current: async () => (await current(await config(), options)).heads.map((head) => head.id),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The catalog, as each database describes itself. Lists are sorted here, in one order for every database.

/** ambix's own tables, which stay after `downgrade base`. */
export const AMBIX_TABLES = ['ambix_history', 'ambix_version'];

/** The catalog query for `db`'s kind of database. */
function byKind<T>(db: ExampleDatabase, queries: Record<DatabaseKind, () => Promise<T>>): Promise<T> {
  return queries[db.kind]();
}

/** The first column of every row, as text. */
async function lines(db: ExampleDatabase, sql: string, params?: readonly unknown[]): Promise<string[]> {
  return (await db.query(sql, params)).map((row) => String(Object.values(row)[0]));
}

function sorted(list: readonly string[]): string[] {
  return [...list].sort();
}

/** `count(*)` of a table, as a number on every database (PostgreSQL's bigint comes back as text). */
export async function count(db: ExampleDatabase, table: string): Promise<number> {
  const [row] = await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n);
}

/** The ordinary tables of the database (PostgreSQL: its public schema), ambix's own left out unless `all`. */
export async function tables(db: ExampleDatabase, all = false): Promise<string[]> {
  const names = await byKind(db, {
    postgresql: () => lines(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
    sqlite: () =>
      lines(
        db,
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      ),
    mysql: () =>
      lines(
        db,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
      ),
  });
  return sorted(names.filter((name) => all || !AMBIX_TABLES.includes(name)));
}

/**
 * Every foreign key as `table.column -> referenced: rule`, sorted. The rule is the one the database applies:
 * InnoDB has no deferred checks, so its NO ACTION is RESTRICT, and MariaDB reports a foreign key without an ON
 * DELETE clause as RESTRICT; it is shown as NO ACTION, as the migration (no rule) and the other databases say.
 */
export async function foreignKeys(db: ExampleDatabase): Promise<string[]> {
  return sorted(
    await byKind(db, {
      postgresql: () =>
        lines(
          db,
          `SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text || ': ' ||
                  CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                                     WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
        ),
      sqlite: () =>
        lines(
          db,
          `SELECT t.name || '.' || f."from" || ' -> ' || f."table" || ': ' || f.on_delete
           FROM sqlite_schema t, pragma_foreign_key_list(t.name) f
           WHERE t.type = 'table' AND f.seq = 0`,
        ),
      mysql: () =>
        lines(
          db,
          `SELECT CONCAT(k.table_name, '.', k.column_name, ' -> ', k.referenced_table_name, ': ',
                         IF(r.delete_rule = 'RESTRICT', 'NO ACTION', r.delete_rule))
           FROM information_schema.key_column_usage k
           JOIN information_schema.referential_constraints r
             ON r.constraint_schema = k.constraint_schema AND r.table_name = k.table_name
            AND r.constraint_name = k.constraint_name
           WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL AND k.ordinal_position = 1`,
        ),
    }),
  );
}

/**
 * Index names (PostgreSQL: of the public schema), the indexes behind primary keys and unique constraints
 * included, sorted. MariaDB calls every primary key `PRIMARY` and lists it once.
 */
export async function indexes(db: ExampleDatabase): Promise<string[]> {
  return sorted(
    await byKind(db, {
      postgresql: () => lines(db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"),
      sqlite: () => lines(db, "SELECT name FROM sqlite_schema WHERE type = 'index'"),
      mysql: () =>
        lines(
          db,
          'SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()',
        ),
    }),
  );
}

/**
 * One index as the database prints it: PostgreSQL's `indexdef`, SQLite's `CREATE INDEX` statement, and the
 * `KEY …` line of MariaDB's `SHOW CREATE TABLE`.
 */
export async function indexDefinition(db: ExampleDatabase, table: string, name: string): Promise<string> {
  return byKind(db, {
    postgresql: async () =>
      String((await lines(db, 'SELECT indexdef FROM pg_indexes WHERE indexname = $1', [name]))[0]),
    sqlite: async () =>
      String(
        (await lines(db, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = $1", [name]))[0],
      ),
    mysql: async () => {
      const key = (await showCreateTable(db, table)).find((line) => line.includes(`KEY \`${name}\``));
      return String(key);
    },
  });
}

/** The lines of MariaDB's `SHOW CREATE TABLE`, trimmed, without their trailing commas. */
async function showCreateTable(db: ExampleDatabase, table: string): Promise<string[]> {
  const [row] = await db.query<{ 'Create Table': string }>(`SHOW CREATE TABLE \`${table}\``);
  return String(row?.['Create Table'])
    .split('\n')
    .map((line) => line.trim().replace(/,$/, ''));
}

/** `table.trigger` for every user trigger, sorted. */
export async function triggers(db: ExampleDatabase): Promise<string[]> {
  return sorted(
    await byKind(db, {
      postgresql: () =>
        lines(db, "SELECT tgrelid::regclass::text || '.' || tgname FROM pg_trigger WHERE NOT tgisinternal"),
      sqlite: () => lines(db, "SELECT tbl_name || '.' || name FROM sqlite_schema WHERE type = 'trigger'"),
      mysql: () =>
        lines(
          db,
          `SELECT CONCAT(event_object_table, '.', trigger_name) FROM information_schema.triggers
           WHERE trigger_schema = DATABASE()`,
        ),
    }),
  );
}

/**
 * `name(arguments)` for every function of the public schema that no extension owns (MariaDB: `name` for every
 * routine of the database), sorted. SQLite keeps no functions in a database.
 */
export async function functions(db: ExampleDatabase): Promise<string[]> {
  return sorted(
    await byKind(db, {
      postgresql: () =>
        lines(
          db,
          `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
           FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
        ),
      sqlite: async () => [],
      mysql: () =>
        lines(db, 'SELECT routine_name FROM information_schema.routines WHERE routine_schema = DATABASE()'),
    }),
  );
}

/** Installed extensions other than plpgsql, sorted; only PostgreSQL has extensions. */
export async function extensions(db: ExampleDatabase): Promise<string[]> {
  return sorted(
    await byKind(db, {
      postgresql: () => lines(db, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"),
      sqlite: async () => [],
      mysql: async () => [],
    }),
  );
}

export interface ColumnInfo {
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
}

/**
 * A table's columns with nullability and default, their types as the database spells them: PostgreSQL's
 * `format_type`, the type SQLite was given in `CREATE TABLE`, MariaDB's `COLUMN_TYPE`.
 */
export async function columns(db: ExampleDatabase, table: string): Promise<Record<string, ColumnInfo>> {
  const rows = await byKind(db, {
    postgresql: () =>
      db.query<{ name: string; type: string; not_null: boolean; default: string | null }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_attribute a
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum`,
        [`public.${table}`],
      ),
    sqlite: async () =>
      (
        await db.query<{ name: string; type: string; not_null: number; default: string | null }>(
          'SELECT name, type, "notnull" AS not_null, dflt_value AS "default" FROM pragma_table_info($1) ORDER BY cid',
          [table],
        )
      ).map((row) => ({ ...row, not_null: row.not_null === 1 })),
    mysql: async () =>
      (
        await db.query<{ name: string; type: string; nullable: string; default: string | null }>(
          `SELECT column_name AS name, column_type AS type, is_nullable AS nullable, column_default AS \`default\`
           FROM information_schema.columns
           WHERE table_schema = DATABASE() AND table_name = $1
           ORDER BY ordinal_position`,
          [table],
        )
      ).map((row) => ({
        name: row.name,
        type: row.type,
        not_null: row.nullable === 'NO',
        // MariaDB writes a column without a default as the bare word NULL (a text default is quoted).
        default: row.default === 'NULL' ? null : row.default,
      })),
  });
  return Object.fromEntries(
    rows.map((row) => [row.name, { type: row.type, nullable: !row.not_null, default: row.default }]),
  );
}

/**
 * Everything a schema is made of, as the database itself prints it, ambix's own tables left out: two databases
 * with equal snapshots have the same schema. PostgreSQL: columns, constraints, indexes, functions, triggers and
 * extensions. SQLite: the statements in `sqlite_schema`. MariaDB: each table's `SHOW CREATE TABLE`, its lines
 * sorted (keys are listed in the order they were made), and the triggers and routines.
 */
export async function schemaSnapshot(db: ExampleDatabase): Promise<Record<string, string[]>> {
  return byKind(db, {
    postgresql: () => postgresSnapshot(db),
    sqlite: async () => ({
      objects: sorted(
        await lines(
          db,
          `SELECT type || ' ' || name || ': ' || coalesce(sql, '(automatic)') FROM sqlite_schema
           WHERE tbl_name NOT IN (${AMBIX_TABLES.map((name) => `'${name}'`).join(', ')})`,
        ),
      ),
    }),
    mysql: async () => {
      const snapshot: Record<string, string[]> = {};
      for (const table of await tables(db)) {
        snapshot[table] = sorted(
          (await showCreateTable(db, table)).map((line) => line.replace(/ AUTO_INCREMENT=\d+/, '')),
        );
      }
      snapshot.triggers = await triggers(db);
      snapshot.routines = await functions(db);
      return snapshot;
    },
  });
}

async function postgresSnapshot(db: ExampleDatabase): Promise<Record<string, string[]>> {
  const list = async (sql: string) => (await db.query<{ line: string }>(sql)).map((row) => row.line);
  const ours = `NOT IN (${AMBIX_TABLES.map((name) => `'${name}'`).join(', ')})`;
  return {
    columns: await list(`
      SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
             CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ||
             coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname ${ours}
      ORDER BY 1`),
    constraints: await list(`
      SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
      FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text ${ours}
      ORDER BY 1`),
    indexes: await list(`
      SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename ${ours} ORDER BY 1`),
    functions: await list(`
      SELECT pg_get_functiondef(p.oid) AS line
      FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY 1`),
    triggers: await list(
      'SELECT pg_get_triggerdef(oid) AS line FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1',
    ),
    extensions: await extensions(db),
  };
}
