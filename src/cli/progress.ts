import type { ProgressEvent, ProgressListener } from '../runtime/progress.js';
import type { CliIo } from './io.js';

export interface ProgressPrinter {
  readonly onProgress: ProgressListener;
  /** Stops any live display (call when the command ends, however it ends). */
  stop(): void;
}

/** A step running longer than this gets a live elapsed-time display on a terminal. */
const LIVE_AFTER_MS = 1000;
const LIVE_EVERY_MS = 200;
/** Lock-wait notices are repeated at most this often. */
const LOCK_NOTICE_EVERY_MS = 10_000;

/**
 * Prints a run's progress to stderr: `Running upgrade a1b2 -> 3f2a, add users table … 42 ms`, the start of the line
 * when the step starts and its duration when it ends. On a terminal, a step that takes longer than a second shows
 * its elapsed time live; elsewhere (CI logs, pipes) lines are plain.
 */
export function progressPrinter(io: CliIo, options: { readonly silent: boolean }): ProgressPrinter {
  if (options.silent) return { onProgress: () => {}, stop: () => {} };
  let line: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let live = false;
  let lastLockNotice = Number.NEGATIVE_INFINITY;

  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const endLine = (suffix: string): void => {
    stopTimer();
    if (line === undefined) return;
    io.stderr(live ? `\r\x1b[2K${line} … ${suffix}\n` : `${suffix}\n`);
    line = undefined;
    live = false;
  };
  /** A line of its own; a step's open line is broken off and begun again after it. */
  const say = (text: string): void => {
    if (line === undefined) {
      io.stderr(`${text}\n`);
      return;
    }
    io.stderr(live ? `\r\x1b[2K${text}\n${line} … ` : `\n${text}\n${line} … `);
  };

  const onProgress = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'stepStarted': {
        line = event.step.description;
        io.stderr(`${line} … `);
        if (io.stderrIsTTY === true) {
          const started = Date.now();
          timer = setInterval(() => {
            const elapsed = Date.now() - started;
            if (elapsed < LIVE_AFTER_MS || line === undefined) return;
            live = true;
            io.stderr(`\r\x1b[2K${line} … ${formatDuration(elapsed)}`);
          }, LIVE_EVERY_MS);
          timer.unref();
        }
        return;
      }
      case 'stepFinished':
        endLine(formatDuration(event.durationMs));
        return;
      case 'stepFailed':
        endLine(`failed after ${formatDuration(event.durationMs)}`);
        return;
      case 'lockWaiting': {
        const now = Date.now();
        if (now - lastLockNotice < LOCK_NOTICE_EVERY_MS) return;
        lastLockNotice = now;
        say(event.message);
        return;
      }
      case 'lockAcquired':
        say(`Took the migration lock after ${formatDuration(event.waitedMs)}.`);
        return;
      case 'info':
        say(event.message);
        return;
      case 'warning':
        say(`Warning: ${event.message}`);
        return;
    }
  };
  return { onProgress, stop: stopTimer };
}

/** `42 ms`, `1.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
