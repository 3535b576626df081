import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, LockHolder } from '../../src/dialects/dialect.js';
import { advisoryLockId, advisoryLockTag, migrationLockKey } from '../../src/dialects/lock-key.js';
import { postgresAdapter, postgresSessionSettings } from '../../src/dialects/postgres/adapter.js';
import { connectPostgres, type PostgresConnection } from '../../src/dialects/postgres/driver.js';
import { AmbixError } from '../../src/errors.js';
import { describePostgres, useTestDatabase } from './helpers/postgres.js';

describe('migration lock key', () => {
  it('is SHA-256 based and stable across processes and versions', () => {
    const key = migrationLockKey('app', 'ambix_version');
    expect(key).toBe('["app","ambix_version"]');
    expect(advisoryLockId(key)).toBe(2650723890892786432n);
    expect(advisoryLockTag(2650723890892786432n)).toEqual({ classid: 617169749, objid: 2857257728 });
  });

  it('differs per version table and per database', () => {
    const ids = new Set(
      [
        migrationLockKey('app', 'ambix_version'),
        migrationLockKey('app', 'alembic_version'),
        migrationLockKey('app', 'billing.ambix_version'),
        migrationLockKey('app_test', 'ambix_version'),
        migrationLockKey('app","x', 'y'),
        migrationLockKey('app', 'x","y'),
      ].map(advisoryLockId),
    );
    expect(ids.size).toBe(6);
  });

  it('splits negative ids into the unsigned halves pg_locks shows', () => {
    expect(advisoryLockTag(-1n)).toEqual({ classid: 4294967295, objid: 4294967295 });
    expect(advisoryLockTag(-(2n ** 63n))).toEqual({ classid: 2147483648, objid: 0 });
  });
});

describe('PostgreSQL session settings', () => {
  it('renders SET statements for the timeouts given', () => {
    expect(postgresSessionSettings({ lockTimeoutMs: 5000, statementTimeoutMs: 0 })).toEqual([
      { sql: "SET lock_timeout = '5000ms'" },
      { sql: "SET statement_timeout = '0ms'" },
    ]);
    expect(postgresSessionSettings({})).toEqual([]);
    expect(() => postgresSessionSettings({ lockTimeoutMs: -1 })).toThrow(AmbixError);
  });
});

describePostgres('PostgreSQL advisory migration lock', () => {
  const db = useTestDatabase(import.meta.filename);
  const key = migrationLockKey(db.name, 'ambix_version');
  const open: Connection[] = [];

  async function connect(applicationName?: string): Promise<PostgresConnection> {
    const connection = await connectPostgres(
      applicationName === undefined ? db.url : `${db.url}?application_name=${applicationName}`,
    );
    open.push(connection);
    return connection;
  }

  async function pidOf(connection: Connection): Promise<number> {
    return (await connection.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((connection) => connection.close()));
  });

  it('makes a second session wait, telling who holds it, and take it once released', async () => {
    const holder = await connect('holder-app');
    const waiter = await connect();
    await postgresAdapter.acquireLock(holder, key, { timeoutMs: 1000 });

    const reports: (LockHolder | undefined)[] = [];
    await postgresAdapter.acquireLock(waiter, key, {
      timeoutMs: 20_000,
      onWait: (who) => {
        reports.push(who);
        if (reports.length === 2) void postgresAdapter.releaseLock(holder, key);
      },
    });

    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports[0]).toMatchObject({ pid: await pidOf(holder), applicationName: 'holder-app' });
    expect(reports[0]?.since).toBeInstanceOf(Date);
    expect(reports[0]?.clientAddress).toMatch(/^(127\.0\.0\.1|::1)$/);
    const third = await connect();
    const waiterPid = await pidOf(waiter);
    await expect(postgresAdapter.acquireLock(third, key, { timeoutMs: 0 })).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      details: { holder: { pid: waiterPid } },
    });
  });

  it('gives up after timeoutMs with LOCK_TIMEOUT naming the holder and what to change', async () => {
    const holder = await connect('nightly-deploy');
    const waiter = await connect();
    await postgresAdapter.acquireLock(holder, key, { timeoutMs: 1000 });
    const pid = await pidOf(holder);
    let waits = 0;

    const error = await postgresAdapter
      .acquireLock(waiter, key, { timeoutMs: 300, onWait: () => waits++ })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

    expect(error).toBeInstanceOf(AmbixError);
    const lockError = error as AmbixError;
    expect(lockError.code).toBe('LOCK_TIMEOUT');
    expect(lockError.message).toContain(`held by pid ${pid} (application "nightly-deploy"`);
    expect(lockError.message).toContain(`database "${db.name}", version table "ambix_version"`);
    expect(lockError.hint).toContain(`pg_terminate_backend(${pid})`);
    expect(lockError.hint).toContain('raise the migration lock timeout (now 300 ms)');
    expect(waits).toBeGreaterThan(0);
    await postgresAdapter.releaseLock(holder, key);
  });

  it('lets twenty concurrent acquirers each hold it exactly once, one at a time', async () => {
    const setup = await connect();
    await setup.exec('CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0)');
    const sessions = await Promise.all(Array.from({ length: 20 }, () => connect()));
    let inside = 0;
    let most = 0;
    const order: number[] = [];

    await Promise.all(
      sessions.map(async (session, index) => {
        await postgresAdapter.acquireLock(session, key, { timeoutMs: 25_000 });
        try {
          inside += 1;
          most = Math.max(most, inside);
          order.push(index);
          // A read-modify-write that loses updates unless the lock serialises it.
          const n = (await session.query('SELECT n FROM counter')).rows[0]?.n as number;
          await new Promise((resolve) => setTimeout(resolve, 5));
          await session.query('UPDATE counter SET n = $1', [n + 1]);
          inside -= 1;
        } finally {
          await postgresAdapter.releaseLock(session, key);
        }
      }),
    );

    expect(most).toBe(1);
    expect(new Set(order).size).toBe(20);
    expect((await setup.query('SELECT n FROM counter')).rows[0]?.n).toBe(20);
  }, 60_000);

  it('does not make another version table wait', async () => {
    const first = await connect();
    const second = await connect();
    await postgresAdapter.acquireLock(first, key, { timeoutMs: 0 });
    await postgresAdapter.acquireLock(second, migrationLockKey(db.name, 'other_version'), { timeoutMs: 0 });
  });

  it('is held across transactions and freed when its session ends', async () => {
    const holder = await connect();
    const other = await connect();
    await postgresAdapter.acquireLock(holder, key, { timeoutMs: 0 });
    await holder.exec('BEGIN; CREATE TABLE t (a int); ROLLBACK');
    await expect(postgresAdapter.acquireLock(other, key, { timeoutMs: 0 })).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
    });
    await holder.close();
    await postgresAdapter.acquireLock(other, key, { timeoutMs: 10_000 });
  });

  it('applies the session settings it renders', async () => {
    const session = await connect();
    for (const statement of postgresAdapter.sessionSettings({
      lockTimeoutMs: 5000,
      statementTimeoutMs: 60_000,
    })) {
      await session.query(statement.sql);
    }
    expect((await session.query('SHOW lock_timeout')).rows[0]?.lock_timeout).toBe('5s');
    expect((await session.query('SHOW statement_timeout')).rows[0]?.statement_timeout).toBe('1min');
  });
});
