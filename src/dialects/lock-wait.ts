import type { AmbixError } from '../errors.js';
import type { LockHolder, LockOptions } from './dialect.js';

export interface Backoff {
  /** First wait between attempts. */
  readonly initialDelayMs: number;
  /** The wait doubles after every attempt up to this. */
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Backoff = Object.freeze({ initialDelayMs: 50, maxDelayMs: 1000 });

export interface PollForLockOptions extends LockOptions {
  /** One non-blocking attempt; true when the lock was taken. */
  readonly tryAcquire: () => Promise<boolean>;
  /** Who holds the lock now, when that can be told. */
  readonly findHolder: () => Promise<LockHolder | undefined>;
  /** The LOCK_TIMEOUT error to throw once `timeoutMs` has passed. */
  readonly timeoutError: (holder: LockHolder | undefined, waitedMs: number) => AmbixError;
  readonly backoff?: Backoff;
}

/**
 * Takes a lock by polling a non-blocking attempt with exponential backoff (with jitter, so many waiters do not
 * poll in step). Never blocks inside the database: a session blocked in a lock wait inside an open transaction
 * is one the holder's CREATE INDEX CONCURRENTLY must wait for, while it waits for the holder — a deadlock.
 */
export async function pollForLock(options: PollForLockOptions): Promise<void> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const started = Date.now();
  let delay = backoff.initialDelayMs;
  for (;;) {
    if (await options.tryAcquire()) return;
    const holder = await options.findHolder().catch(() => undefined);
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) throw options.timeoutError(holder, waited);
    options.onWait?.(holder, waited);
    const jittered = delay * (0.75 + Math.random() * 0.5);
    await sleep(Math.max(0, Math.min(jittered, options.timeoutMs - waited)));
    delay = Math.min(delay * 2, backoff.maxDelayMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `pid 1234 (application "ambix", client 10.0.0.5, since 2025-01-01T10:00:00.000Z)`. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another session (its details are not visible here)';
  const facts: string[] = [];
  if (holder.applicationName !== undefined && holder.applicationName !== '') {
    facts.push(`application "${holder.applicationName}"`);
  }
  if (holder.clientAddress !== undefined) facts.push(`client ${holder.clientAddress}`);
  if (holder.since !== undefined) facts.push(`since ${holder.since.toISOString()}`);
  const who = holder.pid === undefined ? 'another session' : `pid ${holder.pid}`;
  return facts.length === 0 ? who : `${who} (${facts.join(', ')})`;
}

export function freezeHolder(holder: LockHolder): LockHolder {
  const entries = Object.entries(holder).filter(([, value]) => value !== undefined && value !== null);
  return Object.freeze(Object.fromEntries(entries)) as LockHolder;
}
