/**
 * What the runtime's integration tests share: projects of generated migration files, and the two databases they
 * run against — PGlite in-process and a database of its own on the PostgreSQL server (AMBIX_TEST_PG_URL).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { AmbixConfig } from '../../src/config/define-config.js';
import { type ResolvedConfig, resolveConfig } from '../../src/config/resolve-config.js';
import type { DatabaseOptions } from '../../src/runtime/database.js';
import { splitSqlStatements } from '../../src/scripts/sql-statements.js';
import { describePostgres, TEST_PG_URL, urlForDatabase } from '../dialects/helpers/postgres.js';

export { TEST_PG_URL, urlForDatabase };

export type Row = Record<string, unknown>;

/** Starting PGlite takes seconds, more on a loaded machine running test files in parallel. */
const HOOK_TIMEOUT = 60_000;

/** A test database: ambix is pointed at it through `settings` (a URL) and `options` (a connection). */
export interface TestDb {
  readonly kind: 'pglite' | 'postgres';
  /** Config settings that reach this database (the URL for PostgreSQL). */
  settings(): AmbixConfig;
  /** Options for ambix's API (PGlite: the instance itself, as an application passes it). */
  options(): DatabaseOptions;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of statements without parameters. */
  exec(sql: string): Promise<void>;
  /** A script run as psql runs a file: one statement at a time. */
  execScript(sql: string): Promise<void>;
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
    // A new PGlite takes seconds to start: empty this one instead.
    reset: () => dropEverything(query),
  };
}

async function statementByStatement(script: string, query: (sql: string) => Promise<Row[]>): Promise<void> {
  for (const statement of splitSqlStatements(script)) await query(statement.sql);
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
    reset: () => dropEverything(async (sql) => (await current().query<Row>(sql)).rows),
  };
}

/**
 * Runs `body` once per database: PGlite always, the PostgreSQL server when reachable (always in CI). Each test
 * starts from an empty database.
 */
export function describeEachDatabase(title: string, file: string, body: (db: TestDb) => void): void {
  describe(`${title} (PGlite)`, () => {
    const db = usePglite();
    afterEach(() => db.reset(), HOOK_TIMEOUT);
    body(db);
  });
  describePostgres(`${title} (PostgreSQL)`, () => {
    const db = usePostgres(file);
    afterEach(() => db.reset(), HOOK_TIMEOUT);
    body(db);
  });
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
export const STEP_LOG = `CREATE TABLE IF NOT EXISTS step_log (n serial PRIMARY KEY, revision text, direction text)`;

function logStep(id: string, direction: 'up' | 'down'): string {
  return `await op.execute(${JSON.stringify(STEP_LOG)});
  await op.execute("INSERT INTO step_log (revision, direction) VALUES ('${id}', '${direction}')");`;
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
  const name = `${schema === undefined ? '' : `"${schema.replaceAll('"', '""')}".`}"${table.replaceAll('"', '""')}"`;
  const rows = await db.query(`SELECT version_num FROM ${name}`);
  return rows.map((row) => String(row.version_num)).sort();
}

export interface LoggedStep {
  readonly revision: string;
  readonly direction: string;
}

/** The step log, in order, and emptied for the next run. */
export async function takeStepLog(db: TestDb): Promise<LoggedStep[]> {
  const present = await db.query("SELECT to_regclass('step_log') IS NOT NULL AS present");
  if (present[0]?.present !== true) return [];
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
  readonly db_user: string;
}

export async function historyRows(db: TestDb, table = 'ambix_history'): Promise<HistoryRow[]> {
  return (await db.query(
    `SELECT revision, direction, from_heads, to_heads, checksum, error, duration_ms, host_name, ambix_version, db_user
       FROM "${table.replaceAll('"', '""')}" ORDER BY id`,
  )) as unknown as HistoryRow[];
}

/** Whether a table exists in the public schema. */
export async function tableExists(db: TestDb, name: string): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = $1",
    [name],
  );
  return rows.length > 0;
}
