import type { Renderer } from '../dialects/dialect.js';
import { AmbixError } from '../errors.js';
import { applyChange } from '../graph/heads.js';
import type { VersionTableChange } from '../graph/index.js';
import type { Operation } from '../operations/operation.js';
import { createOperations, type Operations, settleOperations } from '../operations/operations.js';
import type { Executor } from './executor.js';
import { errorText, migrationFailed } from './failure.js';
import type { ProgressListener, StepInfo } from './progress.js';
import { historyInsert, type StateTables, versionTableOperations } from './tables.js';

/** One step ready to run: what it does to the schema (if anything), to the version table and to the history. */
export interface ExecutableStep {
  readonly info: StepInfo;
  /** The version-table change; null for a step that only records a history row. */
  readonly change: VersionTableChange | null;
  /** Checksum of the migration file recorded with the step. */
  readonly checksum: string | null;
  /** False: the migration runs outside any transaction. */
  readonly transaction: boolean;
  /** The migration's `upgrade` or `downgrade`; absent for a stamp. */
  readonly body?: (op: Operations) => Promise<void>;
}

export interface RunSettings {
  readonly executor: Executor;
  readonly renderer: Renderer;
  readonly tables: StateTables;
  /** Commit after every step instead of once at the end. */
  readonly transactionPerMigration: boolean;
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
 * On a failure online, the open transaction is rolled back, the failure is written to the history table in a
 * statement of its own (after the rollback, which would otherwise take it along), and MIGRATION_FAILED is thrown
 * with the heads the version table really holds: those of the last committed step.
 *
 * @param prelude operations run first, inside the run's first transaction (offline: the state tables' DDL).
 */
export async function runSteps(
  settings: RunSettings,
  startHeads: readonly string[],
  steps: readonly ExecutableStep[],
  prelude: readonly Operation[] = [],
): Promise<RunOutcome> {
  const { executor, onProgress } = settings;
  let heads: readonly string[] = [...startHeads];
  let committedHeads: readonly string[] = heads;
  const completed: CompletedStep[] = [];
  let committedCount = 0;
  let lastDone: ExecutableStep | undefined;

  const begin = async (): Promise<void> => {
    if (!executor.inTransaction) await executor.begin();
  };
  const commit = async (): Promise<void> => {
    if (!executor.inTransaction) return;
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
    if (executor.offline) {
      onProgress({ kind: 'stepFailed', step: info, durationMs, error: asError(error) });
      throw migrationFailed(info, error, { heads, keptSteps: 0, rolledBack: false, recorded: false });
    }
    const rolledBack = executor.inTransaction || timing.committing;
    if (executor.inTransaction) await executor.rollback().catch(() => {});
    heads = committedHeads;
    let recorded = false;
    try {
      await executor.run(
        historyInsert(settings.renderer, settings.tables, {
          revision: info.revision,
          direction: info.direction,
          fromHeads: timing.before,
          toHeads: heads,
          checksum: step.checksum,
          startedAt: timing.startedAt,
          finishedAt: new Date(),
          durationMs,
          hostName: settings.hostName,
          ambixVersion: settings.ambixVersion,
          error: errorText(error),
        }),
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

  /** Commits what the steps so far did; a refused COMMIT (a deferred constraint) fails the last of them. */
  const commitDone = async (): Promise<void> => {
    if (!executor.inTransaction) return;
    try {
      await commit();
    } catch (error) {
      if (lastDone === undefined) throw error;
      await fail(lastDone, error, {
        before: committedHeads,
        startedAt: new Date(),
        started: performance.now(),
        committing: true,
      });
    }
  };

  if (prelude.length > 0) {
    await begin();
    for (const operation of prelude) await executor.run(operation);
  }

  for (const step of steps) {
    const { info } = step;
    if (step.transaction) await begin();
    else await commitDone();
    onProgress({ kind: 'stepStarted', step: info });
    executor.comment(info.description);
    const timing: Timing = {
      before: heads,
      startedAt: new Date(),
      started: performance.now(),
      committing: false,
    };
    let suspended = false;
    try {
      if (step.body !== undefined) {
        const op = createOperations({
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
          },
        });
        await step.body(op);
        await settleOperations(op);
      }
      // A migration outside a transaction still updates its bookkeeping atomically.
      if (!step.transaction) await begin();
      const after = step.change === null ? heads : applyChange(heads, step.change);
      if (step.change !== null) await applyVersionChange(settings, step.change, heads);
      const durationMs = executor.offline ? 0 : performance.now() - timing.started;
      await executor.run(
        historyInsert(settings.renderer, settings.tables, {
          revision: info.revision,
          direction: info.direction,
          fromHeads: heads,
          toHeads: after,
          checksum: step.checksum,
          ...(executor.offline ? {} : { startedAt: timing.startedAt, finishedAt: new Date(), durationMs }),
          hostName: executor.offline ? null : settings.hostName,
          ambixVersion: settings.ambixVersion,
          error: null,
        }),
      );
      heads = after;
      completed.push(completedStep(info, durationMs));
      if (!step.transaction || settings.transactionPerMigration) {
        timing.committing = true;
        await commit();
      }
      lastDone = step;
      onProgress({ kind: 'stepFinished', step: info, durationMs });
    } catch (error) {
      await fail(step, error, timing);
    }
  }
  await commitDone();
  return { steps: completed, heads };
}

interface Timing {
  /** The version table's rows before the step. */
  readonly before: readonly string[];
  readonly startedAt: Date;
  /** performance.now() at the start. */
  readonly started: number;
  /** The failure happened in a COMMIT (which rolls the transaction back). */
  committing: boolean;
}

async function applyVersionChange(
  settings: RunSettings,
  change: VersionTableChange,
  heads: readonly string[],
): Promise<void> {
  for (const operation of versionTableOperations(settings.renderer, settings.tables, change)) {
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
