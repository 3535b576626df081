import { AmbixError, isAmbixError } from '../errors.js';
import { StatementError } from './executor.js';
import type { StepInfo } from './progress.js';
import type { UnfinishedStep } from './tables.js';

/** The fields PostgreSQL (and PGlite) attach to an error, and mysql2's SQLSTATE. */
interface DatabaseErrorFields {
  readonly code?: string;
  readonly sqlState?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: string | number;
  readonly where?: string;
}

/** The database's own message, with its detail and hint, as the lines of a report. */
export function describeDatabaseError(error: unknown): { message: string; lines: string[]; code?: string } {
  const cause = error instanceof StatementError ? error.cause : error;
  const fields = (typeof cause === 'object' && cause !== null ? cause : {}) as DatabaseErrorFields;
  const message = cause instanceof Error ? cause.message : String(cause);
  const lines: string[] = [];
  if (error instanceof StatementError) lines.push(...statementExcerpt(error.sql, position(fields.position)));
  if (typeof fields.detail === 'string' && fields.detail !== '') lines.push(`Detail: ${fields.detail}`);
  if (typeof fields.hint === 'string' && fields.hint !== '') lines.push(`Hint: ${fields.hint}`);
  if (typeof fields.where === 'string' && fields.where !== '')
    lines.push(`Where: ${fields.where.split('\n')[0]}`);
  const code = sqlState(fields);
  return { message, lines, ...(code === undefined ? {} : { code }) };
}

/**
 * The error's SQLSTATE: PostgreSQL's `code`; mysql2's `sqlState` (its `code` is a name, `ER_BAD_FIELD_ERROR`).
 * SQLite has none: its `code` (`SQLITE_ERROR`) is no SQLSTATE.
 */
function sqlState(fields: DatabaseErrorFields): string | undefined {
  if (typeof fields.sqlState === 'string') return fields.sqlState;
  return typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? fields.code : undefined;
}

function position(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const MAX_LINES = 12;

/**
 * The statement that failed, as lines to print; with PostgreSQL's 1-based character position, the line it points
 * into (with a few lines around it) and a caret under the character.
 */
export function statementExcerpt(sql: string, at: number | undefined): string[] {
  const lines = sql.replace(/\s+$/, '').split('\n');
  const out = ['Statement:'];
  if (at === undefined) {
    for (const line of lines.slice(0, MAX_LINES)) out.push(`  ${line}`);
    if (lines.length > MAX_LINES) out.push(`  … (${lines.length - MAX_LINES} more lines)`);
    return out;
  }
  // PostgreSQL counts characters (code points) from 1.
  const chars = [...sql];
  const before = chars.slice(0, Math.min(at - 1, chars.length)).join('');
  const row = before.split('\n').length - 1;
  const column = [...(before.split('\n').at(-1) ?? '')].length;
  const first = Math.max(0, row - 4);
  const last = Math.min(lines.length - 1, row + 2);
  if (first > 0) out.push(`  … (${first} lines above)`);
  for (let i = first; i <= last; i++) {
    out.push(`  ${lines[i]}`);
    if (i === row) out.push(`  ${' '.repeat(column)}^`);
  }
  if (last < lines.length - 1) out.push(`  … (${lines.length - 1 - last} more lines)`);
  return out;
}

/** What the version table holds after a failed run, and what the run kept. */
export interface FailureState {
  readonly heads: readonly string[];
  /** Steps of this run whose changes were committed before the failure. */
  readonly keptSteps: number;
  /** Whether the failing step ran inside a transaction that was rolled back. */
  readonly rolledBack: boolean;
  /** The failure was recorded in the history table. */
  readonly recorded: boolean;
  /** An offline run (`--sql`): no database was touched and no script is returned. */
  readonly offline?: boolean;
  /**
   * On a database that commits DDL at once (MySQL): how far the failing step got. Statements that ran leave the
   * step half-applied, to be resolved by the operator.
   */
  readonly progress?: StepProgress;
}

/** How far a step got before it failed, on a database that commits each DDL statement at once. */
export interface StepProgress {
  /** The step's operations that ran whole. */
  readonly operationsRan: number;
  /** The step's statements that ran, those of the operation that failed included. */
  readonly statementsRan: number;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A statement on one line, cut short: what a one-line report names it by. */
export function statementSummary(sql: string, max = 120): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** `3 statements (2 operations complete) ran, then statement 4 failed (ALTER TABLE …)`. */
function progressText(progress: StepProgress, error: unknown): string {
  const complete = plural(progress.operationsRan, 'operation');
  const ran = `${plural(progress.statementsRan, 'statement')} (${complete} complete) ran`;
  const failed =
    error instanceof StatementError
      ? `statement ${progress.statementsRan + 1} failed (${statementSummary(error.sql)})`
      : 'the step stopped';
  return `${ran}, then ${failed}`;
}

/**
 * The history row's error for a step that failed after some of its statements ran: how many ran, which one failed
 * (on one line, cut short: the first line is what UNRESOLVED_STEP shows) and the database's error.
 */
export function partialFailureText(progress: StepProgress, error: unknown): string {
  return `partially applied: ${progressText(progress, error)}: ${errorText(error)}`;
}

/** MIGRATION_FAILED: the revision, the database's message, the failing statement, and where things stand. */
export function migrationFailed(step: StepInfo, error: unknown, state: FailureState): AmbixError {
  const what =
    step.direction === 'stamp'
      ? `Stamping ${step.toRevisions.join(', ') || 'base'}`
      : `The ${step.direction === 'up' ? 'upgrade' : 'downgrade'} of ${step.revision}${step.message === null ? '' : ` (${step.message})`}`;
  if (isAmbixError(error) && !(error instanceof StatementError)) {
    // ambix's own refusal inside a migration (an invalid operation, op.query offline…): keep its code's meaning.
    return new AmbixError('MIGRATION_FAILED', `${what} failed: ${error.message}`, {
      hint: [error.hint, where(state, step, error)].filter(Boolean).join(' '),
      details: { ...error.details, ...details(step, state), cause: error.code },
      cause: error,
    });
  }
  const database = describeDatabaseError(error);
  const message = [`${what} failed: ${database.message}`, ...database.lines].join('\n  ');
  return new AmbixError('MIGRATION_FAILED', message, {
    hint: where(state, step, error),
    details: {
      ...details(step, state),
      ...(error instanceof StatementError ? { statement: error.inlined } : {}),
      ...(database.code === undefined ? {} : { sqlState: database.code }),
      error: database.message,
    },
    cause: error instanceof StatementError ? error.cause : error,
  });
}

function details(step: StepInfo, state: FailureState): Record<string, unknown> {
  return {
    revision: step.revision,
    direction: step.direction,
    heads: [...state.heads],
    keptSteps: state.keptSteps,
    ...state.progress,
  };
}

function where(state: FailureState, step?: StepInfo, error?: unknown): string {
  if (state.offline === true)
    return 'Nothing was written: no database was touched and no script was produced.';
  // Half-applied: statements ran, one of which committed at once (plain data statements alone roll back).
  if (
    state.progress !== undefined &&
    state.progress.statementsRan > 0 &&
    !state.rolledBack &&
    step !== undefined
  ) {
    const revision = step.revision ?? 'REVISION';
    return (
      `This database commits each DDL statement at once: the step's first ${progressText(state.progress, error)}; what ran stays, and the rest did not run. ` +
      `ambix refuses to upgrade or downgrade until this is resolved: finish the step by hand and run 'ambix resolve ${revision} --applied', ` +
      `or undo what ran and run 'ambix resolve ${revision} --rolled-back'.`
    );
  }
  const heads = state.heads.length === 0 ? 'empty (base)' : `at ${state.heads.join(', ')}`;
  const kept =
    state.keptSteps === 0
      ? 'no step of this run was kept'
      : `${state.keptSteps} earlier step${state.keptSteps === 1 ? ' was' : 's were'} kept`;
  const rolled = state.rolledBack
    ? 'The failing step was rolled back; '
    : 'The failing step ran outside a transaction, so what it did before failing stays; ';
  const recorded = state.recorded ? ' The failure is recorded in the history table.' : '';
  return `${rolled}${kept}, and the version table is ${heads}.${recorded}`;
}

export function errorText(error: unknown): string {
  if (error instanceof StatementError) {
    const database = describeDatabaseError(error);
    return [database.message, ...database.lines].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

/** UNRESOLVED_STEP: the refusal to run while a step is half-applied, naming each and what to do. */
export function unresolvedError(steps: readonly UnfinishedStep[]): AmbixError {
  const first = steps[0]!;
  const revision = first.revision ?? 'REVISION';
  const what = steps
    .map(
      (step) =>
        `${step.direction === 'down' ? 'the downgrade of' : 'the upgrade of'} ${step.revision} (started ${step.startedAt})`,
    )
    .join('; ');
  const error =
    first.error === null ? 'it never finished (was the process stopped?)' : first.error.split('\n')[0];
  return new AmbixError(
    'UNRESOLVED_STEP',
    `The database may hold part of a migration: ${what} did not finish: ${error}.`,
    {
      hint: `Check the database, then either finish the step by hand and run 'ambix resolve ${revision} --applied', or undo what it did and run 'ambix resolve ${revision} --rolled-back'.`,
      details: { unfinished: steps.map((step) => ({ ...step })) },
    },
  );
}
