import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  dialectForUrl,
  type ModuleImporter,
  mysqlDialect,
  openConnection,
  PgliteConnection,
  PostgresConnection,
  pgliteDialect,
  postgresDialect,
  sqliteDialect,
} from '../../src/dialects/index.js';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import { AmbixError } from '../../src/errors.js';
import { describePostgres, TEST_PG_URL } from './helpers/postgres.js';

const opened: Connection[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((connection) => connection.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ambix-dialects-'));
  dirs.push(dir);
  return dir;
}

/** An importer for which `missing` is not installed, as Node reports it. */
function without(missing: string): ModuleImporter {
  return async (specifier) => {
    if (specifier === missing || specifier.startsWith(`${missing}/`)) {
      throw Object.assign(
        new Error(`Cannot find package '${specifier}' imported from /app/node_modules/ambix`),
        {
          code: 'ERR_MODULE_NOT_FOUND',
        },
      );
    }
    return import(specifier);
  };
}

describe('dialects', () => {
  it('picks the dialect from the URL scheme, PGlite when no URL is configured', () => {
    expect(dialectForUrl('postgres://db/app')).toBe(postgresDialect);
    expect(dialectForUrl('postgresql://db/app')).toBe(postgresDialect);
    expect(dialectForUrl('pglite:./data')).toBe(pgliteDialect);
    expect(dialectForUrl('pglite:memory')).toBe(pgliteDialect);
    expect(dialectForUrl(undefined)).toBe(pgliteDialect);
    expect(dialectForUrl('sqlite:./app.db')).toBe(sqliteDialect);
    expect(dialectForUrl('mysql://root:pw@db/app')).toBe(mysqlDialect);
    expect(dialectForUrl('mariadb://root:pw@db/app')).toBe(mysqlDialect);
    expect(() => dialectForUrl('oracle://root:pw@db/app')).toThrow(AmbixError);
  });

  it('gives PGlite the PostgreSQL renderer and PostgreSQL capabilities', () => {
    expect(postgresDialect.name).toBe('postgres');
    expect(pgliteDialect.name).toBe('pglite');
    expect(postgresDialect.renderer).toBe(postgresRenderer);
    expect(pgliteDialect.renderer).toBe(postgresRenderer);
    const expected = { transactionalDdl: true, alterConstraints: true, schemas: true, sessionLock: true };
    expect(postgresDialect.adapter.capabilities).toEqual(expected);
    expect(pgliteDialect.adapter.capabilities).toEqual(expected);
  });

  it.each([
    [
      'postgres://app@db.example.com/app',
      'The PostgreSQL driver "pg" is not installed.',
      'npm install pg',
      'pg',
    ],
    [
      'pglite:memory',
      'The PGlite embedded database "@electric-sql/pglite" is not installed.',
      'npm install @electric-sql/pglite',
      '@electric-sql/pglite',
    ],
  ])(
    'says which package to install when the driver for %s is missing',
    async (url, message, command, pkg) => {
      const error = await openConnection(url, { importer: without(pkg) }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(AmbixError);
      expect(error).toMatchObject({ code: 'DRIVER_MISSING', message });
      expect((error as AmbixError).hint).toContain(`'${command}'`);
    },
  );

  it('does not mistake a module missing inside an installed driver for a missing driver', async () => {
    const broken: ModuleImporter = async () => {
      throw Object.assign(
        new Error("Cannot find package 'pg-types' imported from /app/node_modules/pg/lib"),
        {
          code: 'ERR_MODULE_NOT_FOUND',
        },
      );
    };
    await expect(openConnection('postgres://db/app', { importer: broken })).rejects.toThrow(
      "Cannot find package 'pg-types'",
    );
  });

  it('opens the default embedded database under the config cwd, creating .ambix/pglite on first use', async () => {
    const cwd = tempDir();
    const connection = await openConnection(undefined, { cwd });
    opened.push(connection);
    expect(connection).toBeInstanceOf(PgliteConnection);
    expect((connection as PgliteConnection).dataDir).toBe(join(cwd, '.ambix', 'pglite'));
    expect(existsSync(join(cwd, '.ambix'))).toBe(false);
    expect((await connection.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(existsSync(join(cwd, '.ambix', 'pglite', 'PG_VERSION'))).toBe(true);
  }, 60_000);

  it('resolves a relative pglite: path against the config cwd, not the process cwd', async () => {
    const cwd = tempDir();
    const connection = await openConnection('pglite:./db/main', { cwd });
    opened.push(connection);
    expect((connection as PgliteConnection).dataDir).toBe(join(cwd, 'db', 'main'));
  });
});

describePostgres('dialects against PostgreSQL', () => {
  it('opens a PostgreSQL connection through openConnection and the dialect', async () => {
    const viaHelper = await openConnection(TEST_PG_URL);
    opened.push(viaHelper);
    expect(viaHelper).toBeInstanceOf(PostgresConnection);
    expect((await viaHelper.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const viaDialect = await postgresDialect.connect(TEST_PG_URL);
    opened.push(viaDialect);
    expect((await viaDialect.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });
});
