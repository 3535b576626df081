import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { upgrade } from '../../src/commands/upgrade.js';
import { importModule } from '../../src/dialects/driver-loader.js';
import { openConnection } from '../../src/dialects/index.js';
import {
  connectPglite,
  fromPGlite,
  loadPgliteExtensions,
  loadVectorExtension,
} from '../../src/dialects/pglite/driver.js';
import { AmbixError } from '../../src/errors.js';
import { testProject } from '../runtime/support.js';
import { describePostgres, TEST_PG_URL } from './helpers/postgres.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ambix-pglite-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const vectorInstalled = (await loadVectorExtension()) !== undefined;

// PGlite's first start runs initdb in WebAssembly: seconds on a busy machine.
describe('PGlite driver', { timeout: 60_000 }, () => {
  it('runs queries and scripts on an in-memory database', async () => {
    const connection = await connectPglite(undefined);
    cleanups.push(() => connection.close());
    expect(connection.dataDir).toBeUndefined();
    await connection.exec(
      'CREATE TABLE items (id int PRIMARY KEY, name text); CREATE INDEX ON items (name);',
    );
    const inserted = await connection.query('INSERT INTO items VALUES ($1, $2), ($3, $4)', [1, 'a', 2, 'b']);
    expect(inserted.rowCount).toBe(2);
    const selected = await connection.query('SELECT name FROM items WHERE id > $1 ORDER BY id', [0]);
    expect(selected.rows).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(selected.rowCount).toBe(2);
    // Like node-postgres: bigint as a string, no precision lost.
    expect((await connection.query('SELECT 9007199254740993::bigint AS big')).rows).toEqual([
      { big: '9007199254740993' },
    ]);
  });

  it('creates the data directory with its parents and keeps the data across connections', async () => {
    const dataDir = join(tempDir(), 'project', '.ambix', 'pglite');
    const first = await connectPglite(dataDir);
    await first.exec("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    await first.close();
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    const second = await connectPglite(dataDir);
    cleanups.push(() => second.close());
    expect(second.dataDir).toBe(dataDir);
    expect((await second.query('SELECT note FROM kept')).rows).toEqual([{ note: 'still here' }]);

    // A second connection to the same directory in this process shares the open instance instead of opening the
    // directory twice.
    const third = await connectPglite(dataDir);
    expect((await third.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 1 }]);
    await third.close();
    expect((await second.query('SELECT 1 AS open')).rows).toEqual([{ open: 1 }]);
  });

  it('reports a data directory PGlite cannot open as CONNECTION_FAILED naming it', async () => {
    const dataDir = join(tempDir(), 'broken');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'PG_VERSION'), '99\n');
    const connection = await connectPglite(dataDir);
    cleanups.push(() => connection.close());
    const error = await connection.query('SELECT 1').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).code).toBe('CONNECTION_FAILED');
    expect((error as AmbixError).message).toContain(`Cannot open the embedded database at ${dataDir}`);
  });

  it('leaves an application-owned PGlite instance open after close()', async () => {
    const db = new PGlite();
    cleanups.push(() => db.close());
    const connection = fromPGlite(db);
    expect(connection.dataDir).toBeUndefined();
    expect((await connection.query('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
    await connection.close();
    expect(db.closed).toBe(false);
    expect((await db.query('SELECT 1 AS still_open')).rows).toEqual([{ still_open: 1 }]);
  });

  it.runIf(vectorInstalled)('supports pgvector columns when a pgvector package is installed', async () => {
    const connection = await connectPglite(undefined);
    cleanups.push(() => connection.close());
    await connection.exec('CREATE EXTENSION IF NOT EXISTS vector; CREATE TABLE docs (embedding vector(3));');
    await connection.query('INSERT INTO docs VALUES ($1)', ['[1,2,3]']);
    const nearest = await connection.query("SELECT embedding <-> '[1,2,4]' AS distance FROM docs");
    expect(nearest.rows[0]?.distance).toBe(1);
  });

  it('loads pgvector from @electric-sql/pglite-pgvector, else from the PGlite subpath older versions had', async () => {
    const asked: string[] = [];
    const vector = { name: 'vector' };
    const found = await loadVectorExtension(async (specifier) => {
      asked.push(specifier);
      if (specifier === '@electric-sql/pglite/vector') return { vector };
      throw Object.assign(new Error(`Cannot find package '${specifier}' imported from x`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    expect(found).toBe(vector);
    expect(asked).toEqual(['@electric-sql/pglite-pgvector', '@electric-sql/pglite/vector']);
    const none = await loadVectorExtension(async () => {
      throw Object.assign(new Error('Package subpath is not defined'), {
        code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      });
    });
    expect(none).toBeUndefined();
    expect(await loadVectorExtension(importModule)).toEqual(vectorInstalled ? expect.anything() : undefined);
  });
});

async function rejection(promise: Promise<unknown>): Promise<AmbixError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AmbixError);
  return error as AmbixError;
}

const notFound = (specifier: string) =>
  Object.assign(new Error(`Cannot find package '${specifier}' imported from x`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });

describe('PGlite extensions (pglite.extensions)', { timeout: 60_000 }, () => {
  it('loads the listed extensions by the names CREATE EXTENSION takes, or by module name', async () => {
    const connection = await connectPglite(undefined, { extensions: ['uuid-ossp', 'pgcrypto', 'uuid_ossp'] });
    cleanups.push(() => connection.close());
    await connection.exec('CREATE EXTENSION "uuid-ossp"; CREATE EXTENSION pgcrypto;');
    const rows = await connection.query(
      "SELECT uuid_generate_v4()::text ~ '^[0-9a-f-]{36}$' AS uuid, length(gen_random_bytes(8)) AS bytes",
    );
    expect(rows.rows).toEqual([{ uuid: true, bytes: 8 }]);
    expect(Object.keys(await loadPgliteExtensions(['uuid-ossp', 'uuid_ossp', 'citext']))).toEqual([
      'uuid_ossp',
      'citext',
    ]);
  });

  it('reports an extension PGlite does not ship as CONFIG_INVALID, before the database is opened', async () => {
    const error = await rejection(
      connectPglite(join(tempDir(), 'never'), { extensions: ['uuid-ossp', 'foo'] }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      "PGlite ships no extension 'foo' (looked for @electric-sql/pglite/contrib/foo).",
    );
    expect(error.hint).toContain('pglite.extensions');
    // Not a path into the package: nothing is imported for it.
    const asked: string[] = [];
    const outside = await rejection(
      loadPgliteExtensions(['../index'], async (specifier) => {
        asked.push(specifier);
        return {};
      }),
    );
    expect(outside.message).toBe(
      "PGlite ships no extension '../index' (looked for @electric-sql/pglite/contrib/../index).",
    );
    expect(asked).toEqual([]);
  });

  it('uses pgvector for vector, and names the package to install when none is', async () => {
    const vector = { name: 'vector' };
    const found = await loadPgliteExtensions(['vector'], async (specifier) => {
      if (specifier === '@electric-sql/pglite-pgvector') return { vector };
      throw notFound(specifier);
    });
    expect(found).toEqual({ vector });
    const error = await rejection(
      loadPgliteExtensions(['vector'], async (specifier) => {
        throw notFound(specifier);
      }),
    );
    expect(error.code).toBe('DRIVER_MISSING');
    expect(error.hint).toContain('npm install @electric-sql/pglite-pgvector');
  });

  it('lets a migration create uuid-ossp once the setting lists it, and says how when it does not', async () => {
    const project = testProject();
    project.migration({
      id: 'a1',
      upgrade: [
        `await op.execute('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"');`,
        `await op.execute('CREATE TABLE ids AS SELECT uuid_generate_v4() AS id');`,
      ].join('\n  '),
      downgrade: '',
    });
    const url = 'pglite:./db';

    const failure = await rejection(upgrade(await project.config({ url })));
    expect(failure.code).toBe('MIGRATION_FAILED');
    expect(failure.message).toContain('extension "uuid-ossp" is not available');
    expect(failure.message).toContain("pglite: { extensions: ['uuid-ossp'] }");
    expect(failure.message).not.toContain('installed on the system where PostgreSQL is running');

    const result = await upgrade(await project.config({ url, pglite: { extensions: ['uuid-ossp'] } }));
    expect(result.heads).toEqual(['a1']);
    const connection = await connectPglite(join(project.dir, 'db'), { extensions: ['uuid-ossp'] });
    cleanups.push(() => connection.close());
    const rows = await connection.query("SELECT id::text ~ '^[0-9a-f-]{36}$' AS uuid FROM ids");
    expect(rows.rows).toEqual([{ uuid: true }]);
  });

  it('tells an application whose PGlite lacks an extension to give it to PGlite.create', async () => {
    const db = new PGlite();
    cleanups.push(() => db.close());
    const error = await fromPGlite(db)
      .exec('CREATE EXTENSION "uuid-ossp"')
      .then(
        () => undefined,
        (thrown: unknown) => thrown as { code?: string; hint?: string },
      );
    expect(error?.code).toBe('0A000');
    expect(error?.hint).toContain('PGlite.create({ extensions })');
  });
});

describePostgres('PGlite extensions on a postgres:// URL', () => {
  it('ignores the setting', async () => {
    const connection = await openConnection(TEST_PG_URL, { pgliteExtensions: ['foo'] });
    cleanups.push(() => connection.close());
    expect((await connection.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
