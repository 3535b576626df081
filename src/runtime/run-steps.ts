import type { Dialect, DialectName } from '../dialects/dialect.js';
import { AmbixError } from '../errors.js';
import { applyChange } from '../graph/heads.js';
import type { VersionTableChange } from '../graph/index.js';
import type { Operation } from '../operations/operation.js';
import {
  createOperations,
  type DatabaseKind,
  type Operations,
  settleOperations,
} from '../operations/operations.js';
import type { Executor } from './executor.js';
import { errorText, migrationFailed, partialFailureText, type StepProgress } from './failure.js';
import type { ProgressListener, StepInfo } from './progress.js';
import {
  finishHistoryRow,
  HISTORY_ROWS_PER_INSERT,
  type HistoryEntry,
  historyInsert,
  type StateDialect,
  type StateTables,
  unfinishedRowId,
  versionTableOperations,
  versionTableTransition,
} from './tables.js';

/** One step ready to run: what it does to the schema (if anything), to the version table and to the history. */
export interface ExecutableStep {
  readonly info: StepInfo;
  /** The version-table change; null for a step that only records a history row. */
  readonly change: VersionTableChange | null;
  /** Checksum of the migration file recorded with a stamp (a migration step records its migration's). */
  readonly checksum: string | null;
  /** False: the migration runs outside any transaction. */
  readonly transaction: boolean;
  /** The migration to run, maybe still loading (see {@link RunLoading}); absent for a stamp. */
  readonly migration?: Promise<StepMigration>;
}

/** A migration step's code, loaded. */
export interface StepMigration {
  /** Checksum of the file the code was loaded from. */
  readonly checksum: string;
  /** The migration's `upgrade` or `downgrade`. */
  run(op: Operations): Promise<void>;
}

/**
 * The steps' migrations may still be loading when the run starts (loading overlaps with the database's work); the
 * run waits for all of them before anything becomes permanent: before any COMMIT and before a step that runs
 * outside a transaction. A file that fails to load thus stops the run with nothing applied, as if every file had
 * been loaded first.
 */
export interface RunLoading {
  /** Settles once every migration of the run is loaded; rejects with the first load error. */
  readonly allLoaded: Promise<void>;
}

export interface RunSettings {
  readonly executor: Executor;
  readonly dialect: StateDialect & Pick<Dialect, 'name'>;
  readonly tables: StateTables;
  /** Commit after every step instead of once at the end. */
  readonly transactionPerMigration: boolean;
  /**
   * False on databases that commit DDL at once (MySQL): each step commits on its own, and its history row is
   * written before it runs and finished after, so a step that fails half-way (or a process killed mid-step)
   * leaves an unfinished row that stops later runs until `ambix resolve`.
   */
  readonly transactionalDdl: boolean;
  readonly x: Readonly<Record<string, string>>;
  readonly onProgress: ProgressListener;
  readonly hostName: string | null;
  readonly ambixVersion: string;
}

/** A step that ran, as results report it. */
export interface CompletedStep {
  readonly revision: string | null;
  readonly direction: StepInfo['direction'];
  readonly fromRevisions: readonly string[];
  readonly toRevisions: readonly string[];
  readonly message: string | null;
  /** Milliseconds; 0 offline. */
  readonly durationMs: number;
}

export interface RunOutcome {
  readonly steps: readonly CompletedStep[];
  /** The version table's rows after the run. */
  readonly heads: readonly string[];
}

/**
 * Runs steps in order on one executor. Transactions: by default the whole run is one transaction (the first step
 * begins it, the end commits it); with `transactionPerMigration` each step commits on its own; a step with
 * `transaction: false` runs outside any transaction (what came before is committed first), its bookkeeping in a
 * short transaction of its own. `op.autocommit()` blocks commit the open transaction and begin a new one after.
 *
 * Bookkeeping: offline, each step's version-table statements and history row follow its migration, as in
 * Alembic's scripts. Online they are held back and written just before each COMMIT: the version table moved from
 * what the transaction began with to where the steps left it, the history rows in multi-row INSERTs. Nothing
 * outside the transaction can tell the difference (only a migration reading the version table would see where the
 * transaction began), and a run of many small migrations saves two statements per step.
 *
 * On a failure online, the open transaction is rolled back, the failure is written to the history table in a
 * statement of its own (after the rollback, which would otherwise take it along), and MIGRATION_FAILED is thrown
 * with the heads the version table really holds: those of the last committed step.
 *
 * Options: `prelude`, operations run first, inside the run's first transaction (offline: the state tables' DDL);
 * `loading`, when the steps' migrations are still loading.
 */
export async function runSteps(
  settings: RunSettings,
  startHeads: readonly string[],
  steps: readonly ExecutableStep[],
  options: { readonly prelude?: readonly Operation[]; readonly loading?: RunLoading } = {},
): Promise<RunOutcome> {
  try {
    return await runStepsInOrder(settings, startHeads, steps, options);
  } catch (error) {
    throw error instanceof Abandoned ? error.error : error;
  }
}

async function runStepsInOrder(
  settings: RunSettings,
  startHeads: readonly string[],
  steps: readonly ExecutableStep[],
  { prelude = [], loading }: { readonly prelude?: readonly Operation[]; readonly loading?: RunLoading },
): Promise<RunOutcome> {
  const { executor, onProgress } = settings;
  let heads: readonly string[] = [...startHeads];
  let committedHeads: readonly string[] = heads;
  const completed: CompletedStep[] = [];
  let committedCount = 0;
  let lastDone: { readonly step: ExecutableStep; readonly checksum: string | null } | undefined;
  /** Online: what the version table holds inside the open transaction, and the history rows not yet written. */
  let writtenHeads: readonly string[] = heads;
  const unwritten: HistoryEntry[] = [];

  const begin = async (): Promise<void> => {
    if (!executor.inTransaction) await executor.begin();
  };
  /** Writes the bookkeeping held back since the last write (online). */
  const writeBookkeeping = async (): Promise<void> => {
    for (const change of versionTableTransition(writtenHeads, heads)) {
      await applyVersionChange(settings, change, writtenHeads);
    }
    writtenHeads = heads;
    for (let start = 0; start < unwritten.length; start += HISTORY_ROWS_PER_INSERT) {
      const rows = unwritten.slice(start, start + HISTORY_ROWS_PER_INSERT);
      await executor.run(historyInsert(settings.dialect, settings.tables, rows));
    }
    unwritten.length = 0;
  };
  /** Waits until every migration is loaded; a load error rolls back what the run did and stops it. */
  const allLoaded = async (): Promise<void> => {
    if (loading === undefined) return;
    try {
      await loading.allLoaded;
    } catch (error) {
      await abandon(error);
    }
  };
  /** Stops the run on an error that is no step's failure (a migration that cannot be loaded). */
  const abandon = async (error: unknown): Promise<never> => {
    const rolledBack = completed.length - committedCount;
    if (executor.inTransaction) await executor.rollback().catch(() => {});
    if (rolledBack > 0 && error instanceof AmbixError) {
      throw new Abandoned(
        new AmbixError(error.code, error.message, {
          hint: `${error.hint === undefined ? '' : `${error.hint} `}The ${rolledBack === 1 ? 'step' : `${rolledBack} steps`} run before it ${rolledBack === 1 ? 'was' : 'were'} rolled back.`,
          details: error.details,
          cause: error.cause ?? error,
        }),
      );
    }
    throw new Abandoned(error);
  };
  const commit = async (): Promise<void> => {
    if (!executor.inTransaction) return;
    await allLoaded();
    await writeBookkeeping();
    await executor.commit();
    committedHeads = heads;
    committedCount = completed.length;
  };

  /**
   * After a failure: roll back what is open, record the failure in a statement of its own (a rollback would take
   * the record along), and build the error naming the step and where the database now stands.
   */
  const fail = async (step: ExecutableStep, error: unknown, timing: Timing): Promise<never> => {
    const durationMs = performance.now() - timing.started;
    const { info } = step;
    if (timing.startedRow !== undefined) return failStarted(step, error, timing, timing.startedRow);
    if (executor.offline) {
      onProgress({ kind: 'stepFailed', step: info, durationMs, error: asError(error) });
      throw migrationFailed(info, error, {
        heads,
        keptSteps: 0,
        rolledBack: false,
        recorded: false,
        offline: true,
      });
    }
    const rolledBack = executor.inTransaction || timing.committing;
    if (executor.inTransaction) await executor.rollback().catch(() => {});
    heads = committedHeads;
    writtenHeads = committedHeads;
    unwritten.length = 0;
    let recorded = false;
    try {
      await executor.run(
        historyInsert(settings.dialect, settings.tables, [
          {
            revision: info.revision,
            direction: info.direction,
            fromHeads: timing.before,
            toHeads: heads,
            checksum: timing.checksum,
            startedAt: timing.startedAt,
            finishedAt: new Date(),
            durationMs,
            hostName: settings.hostName,
            ambixVersion: settings.ambixVersion,
            error: errorText(error),
          },
        ]),
      );
      recorded = true;
    } catch {
      // The connection may be gone; the error itself matters more than its record.
    }
    onProgress({ kind: 'stepFailed', step: info, durationMs, error: asError(error) });
    throw migrationFailed(info, error, {
      heads,
      keptSteps: committedCount,
      rolledBack: rolledBack && step.transaction,
      recorded,
    });
  };

  /**
   * A failure of a step whose history row was written before it ran (no transactional DDL): the row is finished
   * with the error when nothing of the step ran, and left unfinished, with the error, when part of it did.
   */
  const failStarted = async (
    step: ExecutableStep,
    error: unknown,
    timing: Timing,
    row: number,
  ): Promise<never> => {
    const durationMs = performance.now() - timing.started;
    if (executor.inTransaction) await executor.rollback().catch(() => {});
    heads = committedHeads;
    writtenHeads = committedHeads;
    unwritten.length = 0;
    const progress: StepProgress = {
      operationsRan: timing.operationsRan,
      statementsRan: executor.statementsRun - (timing.statementsBefore ?? executor.statementsRun),
    };
    const partial = progress.statementsRan > 0;
    let recorded = false;
    try {
      await executor.run(
        finishHistoryRow(settings.dialect, settings.tables, row, {
          finishedAt: partial ? null : new Date(),
          durationMs,
          error: partial ? partialFailureText(progress, error) : errorText(error),
          // Nothing ran: the row holds where the version table still stands, as a failed step's row does on
          // databases that roll back. A half-applied step keeps its target until `ambix resolve` says.
          ...(partial ? {} : { toHeads: committedHeads }),
        }),
      );
      recorded = true;
    } catch {
      // The connection may be gone; the unfinished row written before the step still stops later runs.
    }
    onProgress({ kind: 'stepFailed', step: step.info, durationMs, error: asError(error) });
    throw migrationFailed(step.info, error, {
      heads,
      keptSteps: committedCount,
      rolledBack: !partial,
      recorded,
      progress,
    });
  };

  /** Commits what the steps so far did; a refused COMMIT (a deferred constraint) fails the last of them. */
  const commitDone = async (): Promise<void> => {
    if (!executor.inTransaction) return;
    try {
      await commit();
    } catch (error) {
      if (lastDone === undefined || error instanceof Abandoned) throw error;
      await fail(lastDone.step, error, {
        checksum: lastDone.checksum,
        before: committedHeads,
        startedAt: new Date(),
        started: performance.now(),
        committing: true,
        operationsRan: 0,
      });
    }
  };

  if (prelude.length > 0) {
    await begin();
    for (const operation of prelude) await executor.run(operation);
  }

  for (const step of steps) {
    const { info } = step;
    let migration: StepMigration | undefined;
    try {
      migration = await step.migration;
    } catch (error) {
      await abandon(error);
    }
    const recordFirst = !settings.transactionalDdl && !executor.offline && migration !== undefined;
    if (step.transaction && !recordFirst) await begin();
    else {
      // Whatever it does is permanent at once.
      await allLoaded();
      await commitDone();
    }
    onProgress({ kind: 'stepStarted', step: info });
    executor.comment(info.description);
    const timing: Timing = {
      checksum: migration?.checksum ?? step.checksum,
      before: heads,
      startedAt: new Date(),
      started: performance.now(),
      committing: false,
      operationsRan: 0,
    };
    if (recordFirst) {
      // Written and committed before the step runs: a step that dies half-way leaves it unfinished.
      timing.startedRow = await startHistoryRow(settings, step, timing, heads);
      timing.statementsBefore = executor.statementsRun;
      if (step.transaction) await begin();
    }
    let suspended = false;
    try {
      if (migration !== undefined) {
        const op = createOperations({
          dialect: databaseOf(settings.dialect.name),
          offline: executor.offline,
          x: settings.x,
          query: executor.offline ? undefined : (sql, params) => executor.query(sql, params),
          emit: async (operation) => {
            if (operation.kind === 'beginAutocommit') {
              if (executor.inTransaction) {
                suspended = true;
                await commit();
              }
              return;
            }
            if (operation.kind === 'endAutocommit') {
              if (suspended) {
                suspended = false;
                await executor.begin();
              }
              return;
            }
            await executor.run(operation);
            timing.operationsRan += 1;
          },
        });
        await migration.run(op);
        await settleOperations(op);
      }
      // A migration outside a transaction still updates its bookkeeping atomically.
      if (!step.transaction) await begin();
      const after = step.change === null ? heads : applyChange(heads, step.change);
      const durationMs = executor.offline ? 0 : performance.now() - timing.started;
      const entry: HistoryEntry = {
        revision: info.revision,
        direction: info.direction,
        fromHeads: heads,
        toHeads: after,
        checksum: timing.checksum,
        ...(executor.offline ? {} : { startedAt: timing.startedAt, finishedAt: new Date(), durationMs }),
        hostName: executor.offline ? null : settings.hostName,
        ambixVersion: settings.ambixVersion,
        error: null,
      };
      if (executor.offline) {
        if (step.change !== null) await applyVersionChange(settings, step.change, heads);
        await executor.run(historyInsert(settings.dialect, settings.tables, [entry]));
        writtenHeads = after;
      } else if (timing.startedRow !== undefined) {
        // Finished in the transaction that moves the version table.
        await executor.run(
          finishHistoryRow(settings.dialect, settings.tables, timing.startedRow, {
            finishedAt: new Date(),
            durationMs,
            error: null,
          }),
        );
      } else {
        unwritten.push(entry);
      }
      heads = after;
      completed.push(completedStep(info, durationMs));
      if (!step.transaction || settings.transactionPerMigration || !settings.transactionalDdl) {
        timing.committing = true;
        await commit();
      }
      lastDone = { step, checksum: timing.checksum };
      onProgress({ kind: 'stepFinished', step: info, durationMs });
    } catch (error) {
      if (error instanceof Abandoned) throw error;
      await fail(step, error, timing);
    }
  }
  await commitDone();
  return { steps: completed, heads };
}

/** Carries an error that stops a run without being a step's failure, past the step's failure handling. */
class Abandoned {
  constructor(readonly error: unknown) {}
}

interface Timing {
  /** The checksum recorded with the step. */
  readonly checksum: string | null;
  /** The version table's rows before the step. */
  readonly before: readonly string[];
  readonly startedAt: Date;
  /** performance.now() at the start. */
  readonly started: number;
  /** The failure happened in a COMMIT (which rolls the transaction back). */
  committing: boolean;
  /** Operations of the step that ran (each one committed at once where DDL is not transactional). */
  operationsRan: number;
  /** The id of the history row written before the step ran (no transactional DDL). */
  startedRow?: number;
  /** The executor's statement count when the step's migration began (with `startedRow`). */
  statementsBefore?: number;
}

/** Writes (and commits) the history row of a step about to run, unfinished; returns its id. */
async function startHistoryRow(
  settings: RunSettings,
  step: ExecutableStep,
  timing: Timing,
  heads: readonly string[],
): Promise<number> {
  const after = step.change === null ? heads : applyChange(heads, step.change);
  await settings.executor.run(
    historyInsert(settings.dialect, settings.tables, [
      {
        revision: step.info.revision,
        direction: step.info.direction,
        fromHeads: heads,
        toHeads: after,
        checksum: timing.checksum,
        startedAt: timing.startedAt,
        finishedAt: null,
        hostName: settings.hostName,
        ambixVersion: settings.ambixVersion,
        error: null,
      },
    ]),
  );
  return unfinishedRowId(settings.executor, settings.dialect, settings.tables, step.info.revision);
}

async function applyVersionChange(
  settings: RunSettings,
  change: VersionTableChange,
  heads: readonly string[],
): Promise<void> {
  for (const operation of versionTableOperations(settings.dialect, settings.tables, change)) {
    const affected = await settings.executor.run(operation);
    if (!settings.executor.offline && affected !== 1) {
      throw new AmbixError(
        'INVALID_PLAN',
        `The version table did not hold the rows this run expected (${heads.join(', ') || 'none'}): another run changed it meanwhile.`,
        {
          hint: 'Was ambix run elsewhere with --no-lock? Check with `ambix current` and run the command again.',
          details: { expectedHeads: [...heads] },
        },
      );
    }
  }
}

function completedStep(info: StepInfo, durationMs: number): CompletedStep {
  return Object.freeze({
    revision: info.revision,
    direction: info.direction,
    fromRevisions: info.fromRevisions,
    toRevisions: info.toRevisions,
    message: info.message,
    durationMs: Math.round(durationMs),
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The database family a migration sees as `op.dialect`: PGlite is PostgreSQL. */
function databaseOf(name: DialectName): DatabaseKind {
  return name === 'pglite' || name === 'postgres' ? 'postgresql' : name;
}
