import { relative } from 'node:path';
import { loadProject, type Project } from '../commands/project.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError, UsageError } from '../errors.js';
import { type MigrationStep, planDowngrade, planUpgrade, resolveRevisions } from '../graph/index.js';
import { type ChangedMigration, changedMigrations } from './checksums.js';
import {
  configuredDialect,
  type DatabaseContext,
  type DatabaseOptions,
  offlineScript,
  readHeads,
  runSettings,
  withDatabase,
} from './database.js';
import { declaredSchemaOfRun } from './declared-schema.js';
import { unresolvedError } from './failure.js';
import { loadMigration } from './load-migration.js';
import { describeStep, firstLineOf, notifier, type StepInfo } from './progress.js';
import {
  type CompletedStep,
  type ExecutableStep,
  type RunLoading,
  runSteps,
  type StepMigration,
} from './run-steps.js';
import {
  createHistoryTable,
  createVersionTable,
  readRecordedChecksums,
  readUnfinishedSteps,
  stateTables,
} from './tables.js';

/** Options of `upgrade` and `downgrade`. */
export interface MigrateOptions extends DatabaseOptions {
  /**
   * Offline: return the SQL script instead of running it (no connection is opened). The target may then be a
   * range `START:END`; without one, an upgrade starts from base. A downgrade needs the range.
   */
  readonly sql?: boolean;
  /** Run even when an applied migration's file changed since it ran. */
  readonly allowChanged?: boolean;
  /** Do not take the migration lock (for poolers that cannot hold session locks). */
  readonly noLock?: boolean;
  /** Commit after each migration; default from the config (`transactionPerMigration`, false). */
  readonly transactionPerMigration?: boolean;
}

/** What an upgrade or downgrade did. */
export interface MigrateResult {
  /** The steps run, in order, with their durations. */
  readonly steps: readonly CompletedStep[];
  /** The version table's rows before the run. */
  readonly startHeads: readonly string[];
  /** The version table's rows after the run. */
  readonly heads: readonly string[];
  /** The database, password masked (`pglite:…` for the embedded one). Undefined offline. */
  readonly url?: string;
  /** Offline (`sql: true`): the script. */
  readonly script?: string;
}

/** Runs the migrations that take the database to `target`, up or down. */
export async function migrate(
  config: ResolvedConfig,
  direction: 'up' | 'down',
  target: string,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const project = await loadProject(config);
  if (options.sql === true) return migrateOffline(config, project, direction, target, options);
  if (target.includes(':')) {
    throw new UsageError(`'${target}' is a range, which only offline runs take.`, {
      hint: `Add --sql to write the script for it, or give just the target: '${target.slice(target.indexOf(':') + 1)}'.`,
    });
  }
  return withDatabase(config, options, { lock: true, ensureTables: true }, async (context) => {
    const startHeads = await readHeads(context, project.map);
    await refuseUnfinishedSteps(context);
    const plan =
      direction === 'up'
        ? planUpgrade(project.map, startHeads, target)
        : planDowngrade(project.map, startHeads, target);
    if (direction === 'up' && options.allowChanged !== true) {
      const recorded = await readRecordedChecksums(context.executor, context.dialect, context.tables);
      const changed = await changedMigrations(project, startHeads, recorded);
      if (changed.length > 0) throw changedError(project, changed, startHeads);
    }
    const { steps, loading } = executableSteps(project, plan);
    const settings = runSettings(
      config,
      context.dialect,
      context.executor,
      context.onProgress,
      options.transactionPerMigration,
    );
    const outcome = await runSteps(settings, startHeads, steps, { loading });
    return { steps: outcome.steps, startHeads, heads: outcome.heads, url: context.session.url };
  });
}

async function migrateOffline(
  config: ResolvedConfig,
  project: Project,
  direction: 'up' | 'down',
  target: string,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const { start, end } = offlineRange(project, direction, target);
  const plan =
    direction === 'up' ? planUpgrade(project.map, start, end) : planDowngrade(project.map, start, end);
  const { steps, loading } = executableSteps(project, plan);
  const dialect = configuredDialect(config);
  const executor = offlineScript(
    config,
    dialect,
    `ambix ${direction === 'up' ? 'upgrade' : 'downgrade'} ${target}`,
    declaredSchemaOfRun(config, dialect, project.map, direction, end),
  );
  const tables = stateTables(config);
  // From base the state tables may not exist yet: the script creates them (IF NOT EXISTS), as an online run would.
  const prelude = start.length === 0 ? [createVersionTable(tables), createHistoryTable(tables, dialect)] : [];
  const settings = runSettings(
    config,
    dialect,
    executor,
    notifier(options.onProgress),
    options.transactionPerMigration,
  );
  const outcome = await runSteps(settings, start, steps, { prelude, loading });
  return { steps: outcome.steps, startHeads: start, heads: outcome.heads, script: executor.script() };
}

/**
 * The heads an offline run starts from and its target: `START:END`, or for an upgrade just `END` from base
 * (Alembic's `upgrade --sql` and `downgrade START:END --sql`).
 */
function offlineRange(
  project: Project,
  direction: 'up' | 'down',
  target: string,
): { start: string[]; end: string } {
  const colon = target.indexOf(':');
  if (colon < 0) {
    if (direction === 'down') {
      throw new UsageError(
        `An offline downgrade needs the revision to start from: 'downgrade START:${target} --sql'.`,
        {
          hint: `With no database to read, write the current revision first, e.g. 'ambix downgrade head:${target} --sql'.`,
        },
      );
    }
    return { start: [], end: target };
  }
  const from = target.slice(0, colon);
  const end = target.slice(colon + 1);
  if (end === '') throw new UsageError(`'${target}' names no target after the ':'.`);
  const start =
    from === '' || from === 'base' ? [] : resolveRevisions(project.map, from).map((revision) => revision.id);
  return { start, end };
}

/**
 * How many migration files load at the same time. Reading a file waits on the disk more than on the CPU, and where
 * DDL commits at once (MySQL) the run waits for every file before its first step.
 */
const FILES_LOADING_AT_ONCE = 8;

/**
 * The plan's steps, their migrations loading in the background in the run's order, a few files at a time: each
 * load waits for the event loop to turn, so the run executes the first steps while the later files load. The run
 * waits for all of them before it commits anything (see RunLoading), so a broken file still stops the run with
 * nothing applied, and the error is that of the first broken file in the run's order.
 */
export function executableSteps(
  project: Project,
  plan: readonly MigrationStep[],
): { steps: ExecutableStep[]; loading: RunLoading } {
  const migrations: Promise<StepMigration>[] = [];
  const steps = plan.map((step, index): ExecutableStep => {
    const script = project.scriptOf(step.revision);
    // A file starts loading once the one FILES_LOADING_AT_ONCE places before it is done, loaded or not.
    const before = migrations[index - FILES_LOADING_AT_ONCE] ?? Promise.resolve();
    const migration = before
      .then(turn, turn)
      .then(() => loadMigration(script))
      .then(
        (loaded): StepMigration => ({
          checksum: loaded.checksum,
          run: step.direction === 'up' ? (op) => loaded.upgrade(op) : (op) => loaded.downgrade(op),
        }),
      );
    // Awaited by the run, or not at all when it stops earlier: never an unhandled rejection.
    migration.catch(() => {});
    migrations.push(migration);
    return {
      info: stepInfo(project, step),
      change: step.change,
      checksum: null,
      transaction: script.transaction,
      migration,
    };
  });
  const allLoaded = migrations.reduce<Promise<unknown>>(
    (all, migration) => all.then(() => migration),
    Promise.resolve(),
  );
  const loading = { allLoaded: allLoaded.then(() => {}) };
  loading.allLoaded.catch(() => {});
  return { steps, loading };
}

/** Resolves after pending I/O callbacks (a database's reply) have run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function stepInfo(project: Project, step: MigrationStep): StepInfo {
  const message = firstLineOf(project.scriptOf(step.revision).message);
  return Object.freeze({
    revision: step.revision.id,
    direction: step.direction,
    fromRevisions: step.fromRevisions,
    toRevisions: step.toRevisions,
    message,
    // As Alembic shows a step: parents without the dependencies.
    description:
      step.direction === 'up'
        ? describeStep('up', step.revision.downRevisions, [step.revision.id], message)
        : describeStep('down', [step.revision.id], step.revision.downRevisions, message),
  });
}

function changedError(
  project: Project,
  changed: readonly ChangedMigration[],
  heads: readonly string[],
): AmbixError {
  const files = changed.map(
    (each) => `${each.revision} (${relative(project.config.cwd, each.path) || each.path})`,
  );
  const list = files.length === 1 ? files[0] : `\n  ${files.join('\n  ')}`;
  return new AmbixError(
    'CHANGED_MIGRATION',
    `${changed.length === 1 ? 'An applied migration has' : `${changed.length} applied migrations have`} changed since ${changed.length === 1 ? 'it was' : 'they were'} run: ${list}`,
    {
      hint: `Undo the edit (a migration that ran should not change; write a new one instead). If the change is harmless, record the new checksum with 'ambix stamp ${heads.join(' ')}', or run anyway with --allow-changed.`,
      details: {
        changed: changed.map((each) => ({
          ...each,
          path: relative(project.config.cwd, each.path) || each.path,
        })),
      },
    },
  );
}

/**
 * Where DDL is not transactional (MySQL), a step that failed half-way stops every later run until the operator
 * says what became of it (`ambix resolve`). Elsewhere a failed step was rolled back and nothing is asked.
 */
export async function refuseUnfinishedSteps(context: DatabaseContext): Promise<void> {
  if (context.dialect.adapter.capabilities.transactionalDdl) return;
  const unfinished = await readUnfinishedSteps(context.executor, context.dialect, context.tables);
  if (unfinished.length > 0) throw unresolvedError(unfinished);
}
