import type { LockHolder } from '../dialects/dialect.js';

/** What a step does to the database: run a migration up or down, or move the version table (`stamp`). */
export type StepDirection = 'up' | 'down' | 'stamp';

/** One step as progress events and results describe it. */
export interface StepInfo {
  /** The migration's revision; for a stamp, the revision stamped to (null when stamping to base). */
  readonly revision: string | null;
  readonly direction: StepDirection;
  /**
   * The versions the step leaves (empty: base): for an upgrade the revision's parents and the dependencies it
   * brings in, for a downgrade the revision.
   */
  readonly fromRevisions: readonly string[];
  /** The versions the step reaches: the mirror of `fromRevisions`. */
  readonly toRevisions: readonly string[];
  /** The migration's message (first line), if it has one. */
  readonly message: string | null;
  /** `Running upgrade a1b2 -> 3f2a, add users table`: the line the CLI prints and offline scripts comment. */
  readonly description: string;
}

/**
 * What happens during a run, as it happens: for the CLI's output and for an application's logs. Events arrive in
 * order; `stepFinished` or `stepFailed` follows every `stepStarted`.
 */
export type ProgressEvent =
  | { readonly kind: 'info'; readonly message: string }
  /** Something the user should know that did not stop the command. */
  | { readonly kind: 'warning'; readonly message: string }
  | {
      readonly kind: 'lockWaiting';
      /** Who holds the lock, when the database can tell. */
      readonly holder: LockHolder | undefined;
      readonly waitedMs: number;
      readonly message: string;
    }
  | { readonly kind: 'lockAcquired'; readonly waitedMs: number }
  | { readonly kind: 'stepStarted'; readonly step: StepInfo }
  | { readonly kind: 'stepFinished'; readonly step: StepInfo; readonly durationMs: number }
  | {
      readonly kind: 'stepFailed';
      readonly step: StepInfo;
      readonly durationMs: number;
      readonly error: Error;
    };

export type ProgressListener = (event: ProgressEvent) => void;

/** Calls the listener, never letting a listener's failure break a migration run. */
export function notifier(listener: ProgressListener | undefined): ProgressListener {
  if (listener === undefined) return () => {};
  return (event) => {
    try {
      listener(event);
    } catch {
      // A logging callback that throws must not leave a database half-migrated.
    }
  };
}

/** `Running upgrade a1b2 -> 3f2a, add users table`; `<base>` stands for no revision. */
export function describeStep(
  direction: StepDirection,
  fromRevisions: readonly string[],
  toRevisions: readonly string[],
  message: string | null,
): string {
  const side = (ids: readonly string[]): string => (ids.length === 0 ? '<base>' : ids.join(', '));
  const verb = direction === 'up' ? 'upgrade' : direction === 'down' ? 'downgrade' : 'stamp';
  const text = `Running ${verb} ${side(fromRevisions)} -> ${side(toRevisions)}`;
  return message === null || message === '' ? text : `${text}, ${message}`;
}

/** The first line of a message, or null. */
export function firstLineOf(message: string | undefined | null): string | null {
  if (message === undefined || message === null) return null;
  const line = message.split(/\r?\n/, 1)[0]?.trim() ?? '';
  return line === '' ? null : line;
}
