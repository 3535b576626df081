import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, LockHolder } from '../../src/dialects/dialect.js';
import { migrationLockKey } from '../../src/dialects/lock-key.js';
import { pgliteAdapter } from '../../src/dialects/pglite/adapter.js';
import { connectPglite } from '../../src/dialects/pglite/driver.js';
import { lockFilePath } from '../../src/dialects/pglite/lock-file.js';
import { AmbixError } from '../../src/errors.js';

const key = migrationLockKey('postgres', 'ambix_version');
const holderScript = fileURLToPath(new URL('./fixtures/hold-pglite-lock.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ambix-pglite-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, '.ambix', 'pglite');
}

async function connect(dataDir: string | undefined): Promise<Connection> {
  const connection = await connectPglite(dataDir);
  cleanups.push(() => connection.close());
  return connection;
}

async function lockError(connection: Connection, timeoutMs = 0): Promise<AmbixError> {
  const error = await pgliteAdapter.acquireLock(connection, key, { timeoutMs }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AmbixError)) throw new Error(`expected LOCK_TIMEOUT, got ${String(error)}`);
  return error;
}

describe('PGlite migration lock', () => {
  it('needs no lock for an in-memory database', async () => {
    const first = await connect(undefined);
    const second = await connect(undefined);
    await pgliteAdapter.acquireLock(first, key, { timeoutMs: 0 });
    await pgliteAdapter.acquireLock(second, key, { timeoutMs: 0 });
    await pgliteAdapter.releaseLock(first, key);
    await pgliteAdapter.releaseLock(second, key);
  });

  it('is a file next to the data directory holding pid, host and start time, removed on release', async () => {
    const dataDir = tempDataDir();
    const connection = await connect(dataDir);
    await pgliteAdapter.acquireLock(connection, key, { timeoutMs: 0 });
    const path = `${dataDir}.lock`;
    expect(lockFilePath(dataDir)).toBe(path);
    const content = JSON.parse(readFileSync(path, 'utf8'));
    expect(content).toMatchObject({ pid: process.pid, hostname: hostname(), key });
    expect(new Date(content.startedAt).getTime()).not.toBeNaN();
    await pgliteAdapter.releaseLock(connection, key);
    expect(existsSync(path)).toBe(false);
    // Taking the lock does not open (or create) the database itself.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('makes a second acquirer wait, telling who holds it, and take it once released', async () => {
    const dataDir = tempDataDir();
    const holder = await connect(dataDir);
    const waiter = await connect(dataDir);
    await pgliteAdapter.acquireLock(holder, key, { timeoutMs: 0 });

    const reports: (LockHolder | undefined)[] = [];
    await pgliteAdapter.acquireLock(waiter, key, {
      timeoutMs: 20_000,
      onWait: (who) => {
        reports.push(who);
        if (reports.length === 2) void pgliteAdapter.releaseLock(holder, key);
      },
    });

    expect(reports[0]).toMatchObject({
      pid: process.pid,
      applicationName: 'ambix',
      clientAddress: hostname(),
    });
    expect(reports[0]?.since).toBeInstanceOf(Date);
    const error = await lockError(holder);
    expect(error.code).toBe('LOCK_TIMEOUT');
    await pgliteAdapter.releaseLock(waiter, key);
  });

  it('gives up after timeoutMs with LOCK_TIMEOUT naming the holder, the file and what to change', async () => {
    const dataDir = tempDataDir();
    const holder = await connect(dataDir);
    await pgliteAdapter.acquireLock(holder, key, { timeoutMs: 0 });
    let waits = 0;
    const error = await pgliteAdapter
      .acquireLock(await connect(dataDir), key, { timeoutMs: 200, onWait: () => waits++ })
      .then(
        () => undefined,
        (thrown: unknown) => thrown as AmbixError,
      );
    expect(error?.code).toBe('LOCK_TIMEOUT');
    expect(error?.message).toContain(`${dataDir}.lock is held by pid ${process.pid} (application "ambix"`);
    expect(error?.hint).toContain(`if no such process is running, delete ${dataDir}.lock`);
    expect(error?.hint).toContain('raise the migration lock timeout (now 200 ms)');
    expect(waits).toBeGreaterThan(0);
    await pgliteAdapter.releaseLock(holder, key);
  });

  it('waits for another process holding the lock and takes it when that process releases it', async () => {
    const dataDir = tempDataDir();
    const child = await holdInChild(dataDir);
    const reports: (LockHolder | undefined)[] = [];
    const connection = await connect(dataDir);
    await pgliteAdapter.acquireLock(connection, key, {
      timeoutMs: 20_000,
      onWait: (who) => {
        reports.push(who);
        if (reports.length === 1) child.stdin?.write('release\n');
      },
    });
    expect(reports[0]?.pid).toBe(child.pid);
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(process.pid);
    await pgliteAdapter.releaseLock(connection, key);
  });

  it('takes over the lock of a process that was killed while holding it', async () => {
    const dataDir = tempDataDir();
    const child = await holdInChild(dataDir);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(child.pid);

    const connection = await connect(dataDir);
    await pgliteAdapter.acquireLock(connection, key, { timeoutMs: 0 });
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(process.pid);
    await pgliteAdapter.releaseLock(connection, key);
  });

  it('removes the lock file when the holding process exits without releasing it', async () => {
    const dataDir = tempDataDir();
    const child = await holdInChild(dataDir, 'exit');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('takes over a stale lock file whose pid is no longer running on this host', async () => {
    const dataDir = tempDataDir();
    const dead = deadPid();
    writeLockFile(dataDir, { pid: dead, hostname: hostname() });
    const connection = await connect(dataDir);
    await pgliteAdapter.acquireLock(connection, key, { timeoutMs: 0 });
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(process.pid);
    await pgliteAdapter.releaseLock(connection, key);
  });

  it('never takes over a lock from another host, whose process it cannot check', async () => {
    const dataDir = tempDataDir();
    writeLockFile(dataDir, { pid: deadPid(), hostname: 'build-server-7' });
    const error = await lockError(await connect(dataDir));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toContain('client build-server-7');
  });

  it('waits for a lock file being written, and takes over one left half-written long ago', async () => {
    const dataDir = tempDataDir();
    const path = `${dataDir}.lock`;
    writeLockFile(dataDir, undefined);
    const error = await lockError(await connect(dataDir));
    expect(error.message).toContain('held by a process that has not finished writing it');

    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(path, longAgo, longAgo);
    const connection = await connect(dataDir);
    await pgliteAdapter.acquireLock(connection, key, { timeoutMs: 0 });
    await pgliteAdapter.releaseLock(connection, key);
  });

  it('lets the same connection take it again, like a session-level advisory lock', async () => {
    const dataDir = tempDataDir();
    const connection = await connect(dataDir);
    await pgliteAdapter.acquireLock(connection, key, { timeoutMs: 0 });
    await pgliteAdapter.acquireLock(connection, key, { timeoutMs: 0 });
    await pgliteAdapter.releaseLock(connection, key);
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    await pgliteAdapter.releaseLock(connection, key);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});

/** Starts a process that takes the lock of `dataDir` with ambix's own code, and waits until it holds it. */
async function holdInChild(dataDir: string, mode?: 'exit'): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'jiti/register', holderScript, dataDir, ...(mode === undefined ? [] : [mode])],
    { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('locked\n')) resolve();
    });
    child.once('exit', (code) => {
      if (!output.includes('locked\n')) reject(new Error(`lock holder exited with ${code} before locking`));
    });
  });
  return child;
}

/** The pid of a process that has finished. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(result.stdout.toString());
}

function writeLockFile(dataDir: string, holder: { pid: number; hostname: string } | undefined): void {
  const content =
    holder === undefined
      ? ''
      : JSON.stringify({ ...holder, startedAt: new Date().toISOString(), key, nonce: 'x', command: 'ambix' });
  mkdirSync(dirname(dataDir), { recursive: true });
  writeFileSync(`${dataDir}.lock`, content, { flag: 'wx' });
}
