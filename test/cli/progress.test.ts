import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { formatDuration, progressPrinter } from '../../src/cli/progress.js';
import type { StepInfo } from '../../src/runtime/progress.js';

function io(tty: boolean): CliIo & { readonly written: string[] } {
  const written: string[] = [];
  return {
    cwd: '/',
    env: {},
    stdout: () => {},
    stderr: (text) => {
      written.push(text);
    },
    stderrIsTTY: tty,
    openEditor: () => 0,
    written,
  };
}

const step: StepInfo = {
  revision: '3f2a',
  direction: 'up',
  fromRevisions: ['a1b2'],
  toRevisions: ['3f2a'],
  message: 'add users table',
  description: 'Running upgrade a1b2 -> 3f2a, add users table',
};

describe('progress output', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prints one plain line per step when stderr is not a terminal', () => {
    const out = io(false);
    const printer = progressPrinter(out, { silent: false });
    printer.onProgress({ kind: 'stepStarted', step });
    printer.onProgress({ kind: 'stepFinished', step, durationMs: 42.4 });
    printer.stop();
    expect(out.written.join('')).toBe('Running upgrade a1b2 -> 3f2a, add users table … 42 ms\n');
  });

  it('shows the elapsed time live on a terminal once a step runs longer than a second', () => {
    vi.useFakeTimers();
    const out = io(true);
    const printer = progressPrinter(out, { silent: false });
    printer.onProgress({ kind: 'stepStarted', step });
    vi.advanceTimersByTime(600);
    expect(out.written).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    const live = out.written.at(-1) ?? '';
    expect(live.startsWith('\r\x1b[2K')).toBe(true);
    expect(live.slice(5)).toMatch(/^Running upgrade a1b2 -> 3f2a, add users table … 1\.\d s$/);
    printer.onProgress({ kind: 'stepFinished', step, durationMs: 1700 });
    expect(out.written.at(-1)).toBe('\r\x1b[2KRunning upgrade a1b2 -> 3f2a, add users table … 1.7 s\n');
    printer.stop();
  });

  it('keeps notes on lines of their own while a step is open', () => {
    const out = io(false);
    const printer = progressPrinter(out, { silent: false });
    printer.onProgress({ kind: 'stepStarted', step });
    printer.onProgress({ kind: 'info', message: 'a note' });
    printer.onProgress({ kind: 'stepFailed', step, durationMs: 5, error: new Error('x') });
    expect(out.written.join('')).toBe(
      'Running upgrade a1b2 -> 3f2a, add users table … \na note\nRunning upgrade a1b2 -> 3f2a, add users table … failed after 5 ms\n',
    );
  });

  it('says nothing when silent', () => {
    const out = io(true);
    progressPrinter(out, { silent: true }).onProgress({ kind: 'stepStarted', step });
    expect(out.written).toEqual([]);
  });

  it('formats durations for people', () => {
    expect(formatDuration(3)).toBe('3 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
