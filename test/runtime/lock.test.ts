import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { assertUpToDate } from '../../src/commands/assert-up-to-date.js';
import { upgrade } from '../../src/commands/upgrade.js';
import type { Connection } from '../../src/dialects/dialect.js';
import { migrationLockKey } from '../../src/dialects/lock-key.js';
import { postgresAdapter } from '../../src/dialects/postgres/adapter.js';
import { connectPostgres } from '../../src/dialects/postgres/driver.js';
import { AmbixError } from '../../src/errors.js';
import type { ProgressEvent } from '../../src/runtime/progress.js';
import { describePostgres } from '../dialects/helpers/postgres.js';
import { historyRows, type TestProject, tableExists, testProject, usePostgres } from './support.js';

function linear(p: TestProject, ids: readonly string[]): void {
  ids.forEach((id, index) => {
    p.migration({
      id,
      down: index === 0 ? null : ids[index - 1]!,
      upgrade: `await op.execute('CREATE TABLE t_${id} (id int)');`,
      downgrade: `await op.execute('DROP TABLE t_${id}');`,
    });
  });
}

describePostgres('the PostgreSQL migration lock', () => {
  const db = usePostgres(import.meta.filename);
  const holders: Connection[] = [];
  afterEach(async () => {
    for (const holder of holders.splice(0)) await holder.close();
    await db.reset();
  }, 60_000);

  async function holdLock(versionTable: string): Promise<{ pid: number }> {
    const holder = await connectPostgres(`${db.url}?application_name=holder-app`);
    holders.push(holder);
    await postgresAdapter.acquireLock(holder, migrationLockKey(db.name, versionTable), { timeoutMs: 1000 });
    const rows = (await holder.query('SELECT pg_backend_pid() AS pid')).rows;
    return { pid: Number(rows[0]?.pid) };
  }

  it('keeps the lock through a run longer than the server idle_session_timeout', async () => {
    await db.exec(`ALTER DATABASE "${db.name}" SET idle_session_timeout = '400ms'`);
    try {
      const p = testProject();
      p.migration({ id: 'slow', upgrade: "await op.execute('SELECT pg_sleep(1.2)');", downgrade: '' });
      const config = await p.config({ url: db.url });
      const events: ProgressEvent[] = [];
      const result = await upgrade(config, 'head', { onProgress: (event) => events.push(event) });
      expect(result.heads).toEqual(['slow']);
      // Had the server ended the lock's idle session, releasing the lock would have failed the run.
      expect(events.some((event) => event.kind === 'warning')).toBe(false);
    } finally {
      await db.exec(`ALTER DATABASE "${db.name}" RESET idle_session_timeout`);
    }
  });

  it('gives up after lockTimeout, naming the holder and the setting to raise', async () => {
    const { pid } = await holdLock('ambix_version');
    const p = testProject();
    linear(p, ['a']);
    const config = await p.config({ url: db.url, lockTimeout: 300 });
    const events: ProgressEvent[] = [];
    const error = await upgrade(config, 'head', { onProgress: (event) => events.push(event) }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AmbixError);
    const failure = error as AmbixError;
    expect(failure.code).toBe('LOCK_TIMEOUT');
    expect(failure.message).toContain(`pid ${pid}`);
    expect(failure.message).toContain('application "holder-app"');
    expect(failure.hint).toContain('raise lockTimeout in ambix.config.ts (now 300 ms)');
    expect(failure.hint).toContain(`pg_terminate_backend(${pid})`);
    const waits = events.filter((event) => event.kind === 'lockWaiting');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ holder: { pid, applicationName: 'holder-app' } });
    // Nothing was touched: the heads are read (and the tables created) only under the lock.
    expect(await tableExists(db, 'ambix_version')).toBe(false);
  });

  it('runs without the lock with noLock', async () => {
    await holdLock('ambix_version');
    const p = testProject();
    linear(p, ['a']);
    const result = await upgrade(await p.config({ url: db.url, lockTimeout: 300 }), 'head', { noLock: true });
    expect(result.heads).toEqual(['a']);
  });

  it('keys the lock by the schema-qualified version table', async () => {
    await holdLock('meta.ambix_version');
    await db.exec('CREATE SCHEMA meta');
    const p = testProject();
    linear(p, ['a']);
    // Another version table of the same database is another lock.
    expect((await upgrade(await p.config({ url: db.url, lockTimeout: 300 }), 'head')).heads).toEqual(['a']);
    const error = await upgrade(
      await p.config({ url: db.url, lockTimeout: 300, versionTableSchema: 'meta' }),
      'head',
    ).catch((caught: unknown) => caught);
    expect((error as AmbixError).code).toBe('LOCK_TIMEOUT');
  });

  it('serializes runs in one process, each migration applied once', async () => {
    const p = testProject();
    linear(p, ['a', 'b', 'c']);
    const config = await p.config({ url: db.url });
    const results = await Promise.all(Array.from({ length: 5 }, () => upgrade(config, 'head')));
    expect(results.map((result) => result.steps.length).sort()).toEqual([0, 0, 0, 0, 3]);
    expect((await historyRows(db)).map((row) => row.revision)).toEqual(['a', 'b', 'c']);
  });
});

describePostgres("an application's own pg client", () => {
  const db = usePostgres(import.meta.filename);

  it('runs on it under the lock, leaves it open and resets the session settings it changed', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const p = testProject();
      linear(p, ['a', 'b']);
      const config = await p.config({ session: { lockTimeout: 1234 } });
      const stale = await assertUpToDate(config, { connection: client }).catch((error: unknown) => error);
      expect((stale as AmbixError).code).toBe('NOT_UP_TO_DATE');
      expect((await upgrade(config, 'head', { connection: client })).heads).toEqual(['b']);
      expect(await assertUpToDate(config, { connection: client })).toEqual({ heads: ['b'] });
      const settings = await client.query("SELECT current_setting('lock_timeout') AS lock");
      expect(settings.rows).toEqual([{ lock: '0' }]);
      const locks = await client.query(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
      );
      expect(locks.rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });
});

describe('the PGlite migration lock', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('serializes runs on one data directory, each migration applied once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ambix-pglite-lock-'));
    dirs.push(dir);
    const p = testProject();
    linear(p, ['a', 'b', 'c']);
    const config = await p.config({ url: `pglite:${join(dir, 'db')}` });
    const results = await Promise.all(Array.from({ length: 3 }, () => upgrade(config, 'head')));
    expect(results.map((result) => result.steps.length).sort()).toEqual([0, 0, 3]);
    expect(results.every((result) => result.heads.join() === 'c')).toBe(true);
  }, 60_000);
});
