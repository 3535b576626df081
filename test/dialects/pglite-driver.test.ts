import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { importModule } from '../../src/dialects/driver-loader.js';
import { connectPglite, fromPGlite, loadVectorExtension } from '../../src/dialects/pglite/driver.js';
import { AmbixError } from '../../src/errors.js';

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
