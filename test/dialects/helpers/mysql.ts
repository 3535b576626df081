import mysql from 'mysql2/promise';
import { describe } from 'vitest';

/** The MySQL/MariaDB server the integration tests use. */
export const TEST_MYSQL_URL = process.env.AMBIX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function serverReachable(): Promise<string | undefined> {
  try {
    const connection = await mysql.createConnection({ uri: TEST_MYSQL_URL, connectTimeout: 5000 });
    await connection.end();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String(error) : String(error);
  }
}

const unreachable = await serverReachable();
if (unreachable !== undefined && process.env.CI === undefined) {
  console.warn(`Skipping MySQL/MariaDB tests: cannot reach AMBIX_TEST_MYSQL_URL (${unreachable}).`);
}

/**
 * `describe` for tests that need the MySQL/MariaDB server. In CI they always run (an unreachable server fails
 * them); locally they are skipped, with a message, only when the server cannot be reached.
 */
export const describeMysql = describe.skipIf(unreachable !== undefined && process.env.CI === undefined);

/** The test server's URL with another database name. */
export function mysqlUrlForDatabase(database: string, base: string = TEST_MYSQL_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the server outside any test database (CREATE/DROP DATABASE). */
export async function mysqlAdmin(sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: TEST_MYSQL_URL, connectTimeout: 5000 });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}
