/**
 * Databases for the executed operation tests: an in-process PGlite, and the PostgreSQL server when reachable
 * (always in CI), each a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { type Extension, PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import pg from 'pg';
import { postgresRenderer } from '../../../src/dialects/postgres/renderer.js';
import type { Operation } from '../../../src/operations/operation.js';

export interface TestDatabase {
  readonly name: string;
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a script of statements without parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export const TEST_PG_URL = process.env.AMBIX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** PGlite with the extensions the tests create, plus pgvector when its package is installed. */
export async function openPglite(): Promise<TestDatabase> {
  const vector = await loadPgvector();
  const db = new PGlite({ extensions: { citext, ...(vector === undefined ? {} : { vector }) } });
  return {
    name: 'pglite',
    query: async (sql, params) =>
      (await db.query<Record<string, unknown>>(sql, params as unknown[] | undefined)).rows,
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}

// PGlite 0.5 ships pgvector as a package of its own; a variable specifier keeps it optional for the type checker.
const PGVECTOR_MODULE = process.env.AMBIX_TEST_PGVECTOR_MODULE ?? '@electric-sql/pglite-pgvector';

export async function loadPgvector(): Promise<Extension | undefined> {
  try {
    const module = (await import(PGVECTOR_MODULE)) as { vector?: Extension };
    return module.vector;
  } catch {
    return undefined;
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Why the server cannot be used, or undefined when it can. */
export async function serverUnreachable(): Promise<string | undefined> {
  try {
    await adminQuery('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String(error) : String(error);
  }
}

/** A fresh database on the server, dropped by close(). */
export async function openServerDatabase(label: string): Promise<TestDatabase> {
  const name = `ambix_${label}_${process.pid}_${randomBytes(4).toString('hex')}`.slice(0, 63);
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => {});
  await client.connect();
  return {
    name: 'postgres',
    query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
    close: async () => {
      await client.end();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Runs an operation's rendered statements as a runtime would online. */
export async function runOperation(db: TestDatabase, operation: Operation): Promise<void> {
  for (const statement of postgresRenderer.render(operation)) {
    if (statement.params === undefined) await db.exec(statement.sql);
    else await db.query(statement.sql, statement.params);
  }
}

export async function runOperations(db: TestDatabase, operations: readonly Operation[]): Promise<void> {
  for (const operation of operations) await runOperation(db, operation);
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const NOT_EXTENSION_MEMBER = (catalog: string, column: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${column} AND e.deptype = 'e')`;

/**
 * Everything a migration can change, read from the catalog: schemas, relations, columns, constraints, indexes,
 * enums, sequences, views, functions, triggers, extensions and comments. Two equal snapshots are the same schema.
 */
export async function catalogSnapshot(db: TestDatabase): Promise<Record<string, unknown>> {
  const queries: Record<string, string> = {
    schemas: `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n WHERE ${USER_SCHEMAS} ORDER BY 1`,
    relations: `SELECT n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class') AS comment
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS} ORDER BY 1, 2`,
    columns: `SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
        pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity, a.attgenerated, col_description(c.oid, a.attnum) AS comment,
        CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'p') AND ${USER_SCHEMAS}
      ORDER BY n.nspname, c.relname, a.attnum`,
    constraints: `SELECT n.nspname, c.conrelid::regclass::text AS relation, c.conname, pg_get_constraintdef(c.oid) AS definition,
        c.condeferrable, c.condeferred, c.convalidated
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE ${USER_SCHEMAS} ORDER BY 1, 2, 3`,
    indexes: `SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes n
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3`,
    enums: `SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      GROUP BY 1, 2 ORDER BY 1, 2`,
    sequences: `SELECT schemaname, sequencename, data_type::text, start_value::text, min_value::text, max_value::text,
        increment_by::text, cycle, cache_size::text FROM pg_sequences ORDER BY 1, 2`,
    sequenceOwners: `SELECT s.relname AS sequence, t.relname AS owner, a.attname AS column, d.deptype
      FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      ORDER BY 1, 2, 3`,
    views: `SELECT schemaname, viewname, definition FROM pg_views n
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    materializedViews: `SELECT schemaname, matviewname, definition, ispopulated FROM pg_matviews ORDER BY 1, 2`,
    functions: `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS arguments,
        pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_SCHEMAS} AND p.prokind = 'f' AND ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')} ORDER BY 1, 2, 3`,
    triggers: `SELECT t.tgrelid::regclass::text AS relation, t.tgname, pg_get_triggerdef(t.oid) AS definition
      FROM pg_trigger t WHERE NOT t.tgisinternal ORDER BY 1, 2`,
    extensions: `SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1`,
  };
  const snapshot: Record<string, unknown> = {};
  for (const [key, sql] of Object.entries(queries)) snapshot[key] = await db.query(sql);
  return snapshot;
}

export interface ColumnFacts {
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly identity: string;
  readonly generated: string;
  readonly comment: string | null;
}

/** The columns of one table, by name, as the catalog describes them. */
export async function columnsOf(
  db: TestDatabase,
  table: string,
  schema = 'public',
): Promise<Record<string, ColumnFacts>> {
  const rows = await db.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
       pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity, a.attgenerated AS generated,
       col_description(c.oid, a.attnum) AS comment
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [schema, table],
  );
  return Object.fromEntries(
    rows.map(({ name, ...facts }) => [name as string, facts as unknown as ColumnFacts]),
  );
}

/** The constraints of one table (NOT NULL ones aside, which PostgreSQL 18 lists): name → pg_get_constraintdef. */
export async function constraintsOf(
  db: TestDatabase,
  table: string,
  schema = 'public',
): Promise<Record<string, string>> {
  const rows = await db.query(
    `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1 AND t.relname = $2 AND c.contype <> 'n' ORDER BY 1`,
    [schema, table],
  );
  return Object.fromEntries(rows.map((row) => [row.name as string, row.definition as string]));
}

/** The indexes of one table: name → pg_indexes.indexdef. */
export async function indexesOf(
  db: TestDatabase,
  table: string,
  schema = 'public',
): Promise<Record<string, string>> {
  const rows = await db.query(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1',
    [schema, table],
  );
  return Object.fromEntries(rows.map((row) => [row.indexname as string, row.indexdef as string]));
}

/** Whether a relation (table, view, index, sequence) exists. */
export async function relationExists(db: TestDatabase, name: string, schema = 'public'): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
    [schema, name],
  );
  return rows.length > 0;
}
