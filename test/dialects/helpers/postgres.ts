import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';

/** The PostgreSQL server the integration tests use. */
export const TEST_PG_URL = process.env.AMBIX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function serverReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String(error) : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const unreachable = await serverReachable();
if (unreachable !== undefined && process.env.CI === undefined) {
  console.warn(`Skipping PostgreSQL tests: cannot reach AMBIX_TEST_PG_URL (${unreachable}).`);
}

/**
 * `describe` for tests that need the PostgreSQL server. In CI they always run (an unreachable server fails them);
 * locally they are skipped, with a message, only when the server cannot be reached.
 */
export const describePostgres = describe.skipIf(unreachable !== undefined && process.env.CI === undefined);

/** The test server's URL with another database name. */
export function urlForDatabase(database: string, base: string = TEST_PG_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
}

/**
 * A database of its own for one test file, created before its tests and dropped after them, named so that several
 * runs can share the server.
 */
export function useTestDatabase(file: string): TestDatabase {
  const stem = basename(file)
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  const name = `ambix_${stem}_${process.pid}_${randomBytes(3).toString('hex')}`.slice(0, 63);
  const database = { name, url: urlForDatabase(name) };
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
  });
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return database;
}

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
