import { relative } from 'node:path';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { planUpgrade } from '../graph/index.js';
import { changedMigrations } from '../runtime/checksums.js';
import { type DatabaseOptions, readHeads, withDatabase } from '../runtime/database.js';
import { firstLineOf } from '../runtime/progress.js';
import { readHistoryRevisions, readRecordedChecksums } from '../runtime/tables.js';
import { type CurrentHead, describeHead, sameSet } from './current.js';
import { loadProject, type Project } from './project.js';

export type StatusOptions = DatabaseOptions;

/** A revision as status reports it. */
export interface StatusRevision {
  readonly id: string;
  readonly message: string | null;
  /** The file, relative to the working directory. */
  readonly path: string;
}

export interface ChangedFile extends StatusRevision {
  readonly recordedChecksum: string;
  readonly checksum: string;
}

export interface StatusResult {
  readonly url: string;
  readonly heads: readonly CurrentHead[];
  /** What `upgrade heads` would run, in the order it would run it. */
  readonly pending: readonly StatusRevision[];
  /** Applied migrations whose file changed since it ran (`upgrade` refuses to run until resolved). */
  readonly changed: readonly ChangedFile[];
  /** Applied revisions that no migration file has any more. */
  readonly vanished: readonly string[];
  /** At the heads, nothing changed, nothing vanished. */
  readonly upToDate: boolean;
}

/**
 * Where the database stands against the migration files: its current heads, the pending migrations in the order
 * they would run, and any applied migration whose file changed or vanished. Reads only; takes no lock.
 */
export async function status(config: ResolvedConfig, options: StatusOptions = {}): Promise<StatusResult> {
  const project = await loadProject(config);
  return withDatabase(config, options, { lock: false, ensureTables: false }, async (context) => {
    const { executor, dialect, tables } = context;
    const heads = await readHeads(context, project.map);
    const known = heads.filter((id) => project.map.get(id) !== undefined);
    const unknownHeads = heads.filter((id) => project.map.get(id) === undefined);
    const pending =
      unknownHeads.length > 0
        ? []
        : planUpgrade(project.map, heads, 'heads').map((step) => summary(project, step.revision.id));
    const recorded = await readRecordedChecksums(executor, dialect, tables);
    const changed = (await changedMigrations(project, known, recorded)).map((each) => ({
      ...summary(project, each.revision),
      recordedChecksum: each.recordedChecksum,
      checksum: each.checksum,
    }));
    const fromHistory = (await readHistoryRevisions(executor, dialect, tables)).filter(
      (id) => project.map.get(id) === undefined,
    );
    const vanished = [...new Set([...unknownHeads, ...fromHistory])];
    return {
      url: context.session.url,
      heads: heads.map((id) => describeHead(project.map, id, project.scriptOf)),
      pending,
      changed,
      vanished,
      upToDate:
        pending.length === 0 &&
        changed.length === 0 &&
        vanished.length === 0 &&
        sameSet(heads, project.map.realHeads),
    };
  });
}

function summary(project: Project, id: string): StatusRevision {
  const script = project.scriptOf(id);
  return {
    id,
    message: firstLineOf(script.message),
    path: relative(project.config.cwd, script.path) || script.path,
  };
}
