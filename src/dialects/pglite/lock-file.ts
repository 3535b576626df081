import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { LockHolder } from '../dialect.js';
import { freezeHolder } from '../lock-wait.js';

/**
 * The migration lock of a PGlite data directory is the file `<dir>.lock`, created exclusively (`wx`) and holding
 * who took it. A PGlite data directory can be opened by one process at a time, so one lock per directory.
 */
export interface LockFileContent {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
  readonly key: string;
  /** Tells this taking of the lock from any other, so a release never removes someone else's lock. */
  readonly nonce: string;
  /** The command line that took it, for people reading the file. */
  readonly command: string;
}

/** A partially written or foreign lock file older than this is considered abandoned. */
const UNREADABLE_STALE_MS = 10_000;
/** Taking over a stale lock takes microseconds; a takeover guard older than this was abandoned by a crash. */
const GUARD_STALE_MS = 10_000;

export function lockFilePath(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.lock`;
}

/** Files this process holds, removed if it exits without releasing them (a crash leaves them for takeover). */
const heldByThisProcess = new Map<string, string>();
let exitHookInstalled = false;

/** Creates the lock file if nobody holds it (taking over one whose process is dead). Returns the content or undefined. */
export async function tryCreateLockFile(path: string, key: string): Promise<LockFileContent | undefined> {
  await mkdir(dirname(path), { recursive: true });
  const content: LockFileContent = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    key,
    nonce: randomUUID(),
    command: process.argv.slice(1).join(' '),
  };
  if (await createExclusive(path, content)) return remember(path, content);
  if (!(await takeOverIfStale(path))) return undefined;
  return (await createExclusive(path, content)) ? remember(path, content) : undefined;
}

async function createExclusive(path: string, content: LockFileContent): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => {});
    throw error;
  }
  await handle.close();
  return true;
}

function remember(path: string, content: LockFileContent): LockFileContent {
  heldByThisProcess.set(path, content.nonce);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const [held, nonce] of heldByThisProcess) {
        if (readNonceSync(held) === nonce) safeUnlinkSync(held);
      }
    });
  }
  return content;
}

/** Removes the lock file if it is still the one `content` describes. */
export async function removeLockFile(path: string, content: LockFileContent): Promise<void> {
  heldByThisProcess.delete(path);
  const current = await readLockFile(path);
  if (current !== undefined && current !== 'unreadable' && current.nonce === content.nonce) {
    await unlink(path).catch(ignoreMissing);
  }
}

/** The lock file's content; undefined when there is none; `'unreadable'` while half-written or not ambix's. */
export async function readLockFile(path: string): Promise<LockFileContent | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  return parseContent(text) ?? 'unreadable';
}

function parseContent(text: string): LockFileContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockFileContent>;
    if (
      typeof value.pid !== 'number' ||
      typeof value.hostname !== 'string' ||
      typeof value.nonce !== 'string'
    ) {
      return undefined;
    }
    return value as LockFileContent;
  } catch {
    return undefined;
  }
}

/** Who holds the lock, as the file tells. */
export async function lockFileHolder(path: string): Promise<LockHolder | undefined> {
  const content = await readLockFile(path);
  if (content === undefined || content === 'unreadable') return undefined;
  const since = new Date(content.startedAt);
  return freezeHolder({
    pid: content.pid,
    applicationName: 'ambix',
    clientAddress: content.hostname,
    since: Number.isNaN(since.getTime()) ? undefined : since,
  });
}

/**
 * A lock is stale when its process is gone: same host and no process with its pid. A lock from another host
 * (a shared network folder) cannot be checked and is never taken over.
 */
export function isStale(content: LockFileContent): boolean {
  return content.hostname === hostname() && !isProcessAlive(content.pid);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Removes the lock file if its holder is dead. Guarded by `<lock>.takeover` (also `wx`), so that of several
 * processes finding the same stale lock only one removes it — none can remove a fresh lock taken in between.
 */
async function takeOverIfStale(path: string): Promise<boolean> {
  const before = await snapshot(path);
  if (before === undefined) return true;
  if (!before.stale) return false;
  const guard = `${path}.takeover`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(guard, 'wx');
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const guardStat = await stat(guard).catch(() => undefined);
    if (guardStat !== undefined && Date.now() - guardStat.mtimeMs > GUARD_STALE_MS) {
      await unlink(guard).catch(ignoreMissing);
    }
    return false;
  }
  try {
    await handle.close();
    const now = await snapshot(path);
    if (now === undefined) return true;
    if (!now.stale || now.identity !== before.identity) return false;
    await unlink(path).catch(ignoreMissing);
    return true;
  } finally {
    await unlink(guard).catch(ignoreMissing);
  }
}

async function snapshot(path: string): Promise<{ stale: boolean; identity: string } | undefined> {
  const [content, info] = await Promise.all([readLockFile(path), stat(path).catch(() => undefined)]);
  if (content === undefined || info === undefined) return undefined;
  if (content === 'unreadable') {
    return {
      stale: Date.now() - info.mtimeMs > UNREADABLE_STALE_MS,
      identity: `${info.mtimeMs}:${info.size}`,
    };
  }
  return { stale: isStale(content), identity: content.nonce };
}

function readNonceSync(path: string): string | undefined {
  try {
    return parseContent(readFileSync(path, 'utf8'))?.nonce;
  } catch {
    return undefined;
  }
}

function safeUnlinkSync(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

function ignoreMissing(error: unknown): void {
  if (errorCode(error) !== 'ENOENT') throw error;
}
