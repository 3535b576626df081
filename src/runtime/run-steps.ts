import type { Dialect, DialectName, QueryResult } from '../dialects/dialect.js';
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
   * False on databases that commit DDL at once (MySQL): each step's history row is written, unfinished, and
   * committed before the step runs, and finished after it, so a step that fails half-way (or a process killed
   * mid-step) leaves an unfinished row that stops later runs until `ambix resolve`. The finished row and the
   * version table's move are committed with the next step's unfinished row (or at the end of the run): one commit
   * between two steps.
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
 * Where DDL commits at once (MySQL, online), each step's history row is written, unfinished, and committed before
 * the step runs; the row finished and the version table moved are written after it and committed with the next
 * step's row, all in one round trip where the driver can (or at the end of the run): one commit between two steps.
 * A process that dies mid-step leaves that step's row unfinished and the version table where the last commit left
 * it, which is where the step began.
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
  let lastDone: { readonly step: ExecutableStep; readonly timing: Timing } | undefined;
  /**
   * Online: what the version table holds inside the open transaction, the history rows not yet written, and (where
   * DDL commits at once) the row, written before it ran, of the last step, which is yet to be marked finished.
   */
  let writtenHeads: readonly string[] = heads;
  const unwritten: HistoryEntry[] = [];
  let finishing: { readonly row: number; readonly finishedAt: Date; readonly durationMs: number } | undefined;
  const forgetUnwritten = (): void => {
    writtenHeads = committedHeads;
    unwritten.length = 0;
    finishing = undefined;
  };

  const begin = async (): Promise<void> => {
    if (!executor.inTransaction) await executor.begin();
  };
  /**
   * Writes the bookkeeping held back since the last write (online), then `also`, all in one round trip where the
   * driver can; returns what `also` did.
   */
  const writeBookkeeping = async (also?: Operation): Promise<QueryResult | undefined> => {
    const { dialect, tables } = settings;
    const moves = versionTableTransition(writtenHeads, heads).flatMap((change) =>
      versionTableOperations(dialect, tables, change),
    );
    const rows: Operation[] = [];
    for (let start = 0; start < unwritten.length; start += HISTORY_ROWS_PER_INSERT) {
      rows.push(historyInsert(dialect, tables, unwritten.slice(start, start + HISTORY_ROWS_PER_INSERT)));
    }
    if (finishing !== undefined) {
      const { row, finishedAt, durationMs } = finishing;
      rows.push(finishHistoryRow(dialect, tables, row, { finishedAt, durationMs, error: null }));
    }
    const operations = [...moves, ...rows, ...(also === undefined ? [] : [also])];
    if (operations.length === 0) return undefined;
    const results = await executor.runTogether(operations);
    if (!executor.offline && moves.some((_, index) => results[index]?.rowCount !== 1)) {
      throw versionTableMoved(writtenHeads);
    }
    writtenHeads = heads;
    unwritten.length = 0;
    finishing = undefined;
    return also === undefined ? undefined : results.at(-1);
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
  /** Commits what the steps so far did, with their bookkeeping; `chain`: a new transaction goes on from it. */
  const commit = async (options: { readonly chain?: boolean } = {}): Promise<void> => {
    if (!executor.inTransaction) return;
    await allLoaded();
    await writeBookkeeping();
    await executor.commit(options);
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
    forgetUnwritten();
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
    forgetUnwritten();
    const progress: StepProgress = {
      operationsRan: timing.operationsRan,
      statementsRan:
        timing.statementsRan ?? executor.statementsRun - (timing.statementsBefore ?? executor.statementsRun),
    };
    // Half-applied only if something that commits at once was sent: plain data statements roll back.
    const committed =
      executor.committingStatements > (timing.committingBefore ?? executor.committingStatements);
    const partial = progress.statementsRan > 0 && committed;
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

  /**
   * A failure to commit the last step that ran (a COMMIT refused for a deferred constraint, or where DDL commits at
   * once, the bookkeeping written after it): that step failed.
   */
  const failLastDone = async (error: unknown): Promise<never> => {
    if (lastDone === undefined || error instanceof Abandoned) throw error;
    const { step, timing } = lastDone;
    // A step recorded before it ran keeps its row, unfinished if any of it ran.
    if (timing.startedRow !== undefined) return fail(step, error, { ...timing, committing: true });
    return fail(step, error, {
      checksum: timing.checksum,
      before: committedHeads,
      startedAt: new Date(),
      started: performance.now(),
      committing: true,
      operationsRan: 0,
    });
  };

  /** Commits what the steps so far did; a refused COMMIT fails the last of them. */
  const commitDone = async (): Promise<void> => {
    if (!executor.inTransaction) return;
    try {
      await commit();
    } catch (error) {
      await failLastDone(error);
    }
  };

  /**
   * Where DDL commits at once: writes the step's history row, unfinished, and commits it before the step runs,
   * with what the step before it left to write (its row finished, the version table's move): the writes in one
   * round trip where the driver can, the COMMIT in another, which also begins the step's transaction. A failure
   * there fails the step before, if it left something to write (its end was not recorded). Returns the row's id.
   */
  const startRecordedStep = async (step: ExecutableStep, timing: Timing): Promise<number> => {
    const previousPending = completed.length > committedCount;
    try {
      const inserted = await writeBookkeeping(startedRow(settings, step, timing, heads));
      // A driver that does not report the generated key: the newest unfinished row of the revision is the one.
      const row =
        inserted?.insertId ??
        (await unfinishedRowId(executor, settings.dialect, settings.tables, step.info.revision));
      await commit({ chain: step.transaction });
      return row;
    } catch (error) {
      if (error instanceof Abandoned) throw error;
      if (previousPending) return failLastDone(error);
      onProgress({ kind: 'stepStarted', step: step.info });
      return fail(step, error, timing);
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
      // Whatever it does is permanent at once. (Where DDL commits at once, what the step before left to commit
      // commits with this step's history row.)
      await allLoaded();
      if (!recordFirst) await commitDone();
    }
    const timing: Timing = {
      checksum: migration?.checksum ?? step.checksum,
      before: heads,
      startedAt: new Date(),
      started: performance.now(),
      committing: false,
      operationsRan: 0,
    };
    // Written and committed before the step runs: a step that dies half-way leaves it unfinished.
    if (recordFirst) timing.startedRow = await startRecordedStep(step, timing);
    onProgress({ kind: 'stepStarted', step: info });
    executor.comment(info.description);
    timing.statementsBefore = executor.statementsRun;
    timing.committingBefore = executor.committingStatements;
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
      timing.statementsRan = executor.statementsRun - timing.statementsBefore;
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
        if (step.change !== null) {
          for (const operation of versionTableOperations(settings.dialect, settings.tables, step.change)) {
            await executor.run(operation);
          }
        }
        await executor.run(historyInsert(settings.dialect, settings.tables, [entry]));
        writtenHeads = after;
      } else if (timing.startedRow !== undefined) {
        // Finished in the transaction that moves the version table, with the next step's row (or at the end).
        finishing = { row: timing.startedRow, finishedAt: new Date(), durationMs };
      } else {
        unwritten.push(entry);
      }
      heads = after;
      completed.push(completedStep(info, durationMs));
      if (
        timing.startedRow === undefined &&
        (!step.transaction || settings.transactionPerMigration || !settings.transactionalDdl)
      ) {
        timing.committing = true;
        await commit();
      }
      lastDone = { step, timing };
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
  /** The executor's statement count when the step's migration began. */
  statementsBefore?: number;
  /** The executor's committingStatements when the step began. */
  committingBefore?: number;
  /** The statements the step's migration ran, once it has run. */
  statementsRan?: number;
}

/** The INSERT of the history row of a step about to run, unfinished. */
function startedRow(
  settings: RunSettings,
  step: ExecutableStep,
  timing: Timing,
  heads: readonly string[],
): Operation {
  const after = step.change === null ? heads : applyChange(heads, step.change);
  return historyInsert(settings.dialect, settings.tables, [
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
  ]);
}

/** A version-table statement that did not affect the one row it should have. */
function versionTableMoved(heads: readonly string[]): AmbixError {
  return new AmbixError(
    'INVALID_PLAN',
    `The version table did not hold the rows this run expected (${heads.join(', ') || 'none'}): another run changed it meanwhile.`,
    {
      hint: 'Was ambix run elsewhere with --no-lock? Check with `ambix current` and run the command again.',
      details: { expectedHeads: [...heads] },
    },
  );
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
