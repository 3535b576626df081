/**
 * What the example tests share: a fresh database per example on each backend (an application-owned PGlite in a
 * temporary folder, a database of its own on the PostgreSQL server), the ambix commands bound to one example and
 * one database, and catalog queries.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Extension, PGlite } from '@electric-sql/pglite';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import pg from 'pg';
import { loadVectorExtension } from '../../src/dialects/pglite/driver.js';
import {
  type ApplicationConnection,
  current,
  downgrade,
  type MigrateResult,
  resolveConfig,
  type StampResult,
  stamp,
  upgrade,
} from '../../src/index.js';
import { TEST_PG_URL, urlForDatabase } from '../dialects/helpers/postgres.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

export function exampleDir(example: string): string {
  return join(EXAMPLES_DIR, example);
}

export type Row = Record<string, unknown>;

/** A database for one example, empty when opened. */
export interface ExampleDatabase {
  /** The URL ambix is given; undefined when it runs on `connection` instead. */
  readonly url: string | undefined;
  /** The application's own connection, which ambix runs on and leaves open. */
  readonly connection: ApplicationConnection | undefined;
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements, as `psql -f` does. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface Backend {
  readonly name: 'PGlite' | 'PostgreSQL';
  /** Whether `CREATE EXTENSION vector` can work; when not, `vectorMissing` says why. */
  readonly vectorMissing: string | undefined;
  open(label: string): Promise<ExampleDatabase>;
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
      const name =
        `ambix_example_${label.replace(/[^a-z0-9]+/gi, '_')}_${process.pid}_${randomBytes(3).toString('hex')}`
          .toLowerCase()
          .slice(0, 63);
      await adminQuery(`CREATE DATABASE "${name}"`);
      const url = urlForDatabase(name);
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      return {
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
// The catalog

/** ambix's own tables, which stay after `downgrade base`. */
export const AMBIX_TABLES = ['ambix_history', 'ambix_version'];

/** The ordinary tables of the public schema, sorted, ambix's own left out unless `all`. */
export async function tables(db: ExampleDatabase, all = false): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((row) => row.name).filter((name) => all || !AMBIX_TABLES.includes(name));
}

/** Every foreign key as `table.column -> referenced: rule`, the rule as PostgreSQL stores it, sorted. */
export async function foreignKeys(db: ExampleDatabase): Promise<string[]> {
  const rows = await db.query<{ fk: string }>(`
    SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text || ': ' ||
           CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                              WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS fk
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
    ORDER BY 1`);
  return rows.map((row) => row.fk);
}

/** Index names of the public schema (primary keys and unique constraints included), sorted. */
export async function indexes(db: ExampleDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
  );
  return rows.map((row) => row.name);
}

/** `table.trigger` for every user trigger, sorted. */
export async function triggers(db: ExampleDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT tgrelid::regclass::text || '.' || tgname AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
  );
  return rows.map((row) => row.name);
}

/** `name(arguments)` for every function of the public schema that no extension owns, sorted. */
export async function functions(db: ExampleDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`
    SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name
    FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    ORDER BY 1`);
  return rows.map((row) => row.name);
}

/** Installed extensions other than plpgsql, sorted. */
export async function extensions(db: ExampleDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
  );
  return rows.map((row) => row.name);
}

export interface ColumnInfo {
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
}

/** A table's columns as `format_type` spells their types, with nullability and default. */
export async function columns(db: ExampleDatabase, table: string): Promise<Record<string, ColumnInfo>> {
  const rows = await db.query<{ name: string; type: string; not_null: boolean; default: string | null }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default
     FROM pg_attribute a
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [`public.${table}`],
  );
  return Object.fromEntries(
    rows.map((row) => [row.name, { type: row.type, nullable: !row.not_null, default: row.default }]),
  );
}

/**
 * Everything a schema is made of, as PostgreSQL itself prints it: columns, constraints, indexes, functions,
 * triggers and extensions, ambix's own tables left out. Two databases with equal snapshots have the same schema.
 */
export async function schemaSnapshot(db: ExampleDatabase): Promise<Record<string, string[]>> {
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
