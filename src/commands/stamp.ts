import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError, isAmbixError, UsageError } from '../errors.js';
import { applyChange } from '../graph/heads.js';
import { planStamp, resolveRevisions, type StampStep } from '../graph/index.js';
import type { Operation } from '../operations/operation.js';
import { changedMigrations, fileChecksum } from '../runtime/checksums.js';
import {
  configuredDialect,
  type DatabaseOptions,
  offlineScript,
  readHeads,
  runSettings,
  withDatabase,
} from '../runtime/database.js';
import { describeStep, firstLineOf, notifier } from '../runtime/progress.js';
import { type CompletedStep, type ExecutableStep, runSteps } from '../runtime/run-steps.js';
import {
  createHistoryTable,
  createVersionTable,
  purgeVersionTable,
  readRecordedChecksums,
  stateTables,
} from '../runtime/tables.js';
import { loadProject, type Project } from './project.js';

export interface StampOptions extends DatabaseOptions {
  /** Empty the version table first, whatever it holds (even revisions no file knows). */
  readonly purge?: boolean;
  /**
   * Offline: return the script instead of running it. A single target `START:END` stamps from START; otherwise
   * from base.
   */
  readonly sql?: boolean;
  /** Do not take the migration lock. */
  readonly noLock?: boolean;
}

export interface StampResult {
  /** The version-table moves made (a stamp runs no migration), then any checksums re-recorded. */
  readonly steps: readonly CompletedStep[];
  readonly startHeads: readonly string[];
  readonly heads: readonly string[];
  /** Applied revisions whose changed file's checksum was recorded anew. */
  readonly rerecorded: readonly string[];
  readonly url?: string;
  readonly script?: string;
}

/**
 * Sets the version table to `targets` without running any migration (for a database created another way, or to
 * repair the table), recording each move in the history. It also records the current checksum of every applied
 * migration whose file changed, which is how an intended edit of an applied migration is accepted.
 *
 * @throws AmbixError UNKNOWN_REVISION (for a current head no file knows: use `purge`), LOCK_TIMEOUT…
 */
export async function stamp(
  config: ResolvedConfig,
  targets: string | readonly string[],
  options: StampOptions = {},
): Promise<StampResult> {
  const list = typeof targets === 'string' ? [targets] : [...targets];
  const project = await loadProject(config);
  if (options.sql === true) return stampOffline(config, project, list, options);
  const range = list.find((target) => target.includes(':'));
  if (range !== undefined) {
    throw new UsageError(`'${range}' is a range, which only 'stamp --sql' takes.`, {
      hint: `Give just the revision: 'ambix stamp ${range.slice(range.indexOf(':') + 1)}'.`,
    });
  }
  return withDatabase(config, options, { lock: true, ensureTables: true }, async (context) => {
    const rows = await readHeads(context, project.map);
    const purge = options.purge === true;
    const start = purge ? [] : rows;
    const plan = planOrExplain(project, start, list, purge);
    const steps = await stampSteps(project, plan);
    const after = plan.reduce<readonly string[]>((heads, step) => applyChange(heads, step.change), start);
    const recorded = await readRecordedChecksums(context.executor, context.dialect, context.tables);
    const changed = await changedMigrations(project, after, recorded);
    for (const each of changed) {
      const message = firstLineOf(project.scriptOf(each.revision).message);
      steps.push({
        info: Object.freeze({
          revision: each.revision,
          direction: 'stamp',
          fromRevisions: after,
          toRevisions: after,
          message,
          description: `Recording the new checksum of ${each.revision}${message === null ? '' : `, ${message}`} (its file changed since it was applied)`,
        }),
        change: null,
        checksum: each.checksum,
        transaction: true,
      });
    }
    const prelude: Operation[] = purge ? [purgeVersionTable(context.dialect.renderer, context.tables)] : [];
    const settings = runSettings(config, context.dialect, context.executor, context.onProgress, false);
    const outcome = await runSteps(settings, start, steps, { prelude });
    return {
      steps: outcome.steps,
      startHeads: rows,
      heads: outcome.heads,
      rerecorded: changed.map((each) => each.revision),
      url: context.session.url,
    };
  });
}

async function stampOffline(
  config: ResolvedConfig,
  project: Project,
  targets: readonly string[],
  options: StampOptions,
): Promise<StampResult> {
  let start: string[] = [];
  let list = targets;
  const only = targets.length === 1 ? targets[0]! : undefined;
  if (only?.includes(':')) {
    const [from = '', to = ''] = only.split(':', 2);
    start =
      from === '' || from === 'base'
        ? []
        : resolveRevisions(project.map, from).map((revision) => revision.id);
    list = [to];
  }
  const purge = options.purge === true;
  if (purge) start = [];
  const plan = planOrExplain(project, start, list, purge);
  const steps = await stampSteps(project, plan);
  const dialect = configuredDialect(config);
  const executor = offlineScript(config, dialect, `ambix stamp ${targets.join(' ')}`);
  const tables = stateTables(config);
  const prelude: Operation[] =
    start.length === 0 ? [createVersionTable(tables), createHistoryTable(tables, dialect)] : [];
  if (purge) prelude.push(purgeVersionTable(dialect.renderer, tables));
  const settings = runSettings(config, dialect, executor, notifier(options.onProgress), false);
  const outcome = await runSteps(settings, start, steps, { prelude });
  return {
    steps: outcome.steps,
    startHeads: start,
    heads: outcome.heads,
    rerecorded: [],
    script: executor.script(),
  };
}

function planOrExplain(
  project: Project,
  heads: readonly string[],
  targets: readonly string[],
  purge: boolean,
): StampStep[] {
  try {
    return planStamp(project.map, heads, targets, { purge });
  } catch (error) {
    if (
      isAmbixError(error) &&
      error.code === 'UNKNOWN_REVISION' &&
      heads.includes(String(error.details.revision))
    ) {
      throw new AmbixError('UNKNOWN_REVISION', error.message.split(';')[0]!, {
        hint: `Stamp with --purge to replace the version table's rows whatever they are: 'ambix stamp --purge ${targets.join(' ')}'.`,
        details: error.details,
        cause: error,
      });
    }
    throw error;
  }
}

async function stampSteps(project: Project, plan: readonly StampStep[]): Promise<ExecutableStep[]> {
  return Promise.all(
    plan.map(async (step) => {
      const revision = step.toRevisions[0] ?? null;
      const script = revision === null ? undefined : project.scriptOf(revision);
      const message = firstLineOf(script?.message);
      return {
        info: Object.freeze({
          revision,
          direction: 'stamp' as const,
          fromRevisions: step.fromRevisions,
          toRevisions: step.toRevisions,
          message,
          description: describeStep('stamp', step.fromRevisions, step.toRevisions, message),
        }),
        change: step.change,
        checksum: script === undefined ? null : await fileChecksum(script.path),
        transaction: true,
      };
    }),
  );
}
