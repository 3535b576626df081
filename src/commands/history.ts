import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import { parseRevisionRange, revisionRange } from '../graph/index.js';
import type { DatabaseOptions } from '../runtime/database.js';
import { loadProject } from './project.js';
import { type RevisionSummary, summarize } from './summary.js';

export interface HistoryOptions extends DatabaseOptions {
  readonly config: ResolvedConfig;
  /** `START:END`, `START:` or `:END`, each end any revision identifier. Default: everything. */
  readonly range?: string;
  /** Read the database's current revisions, to mark them (`-i/--indicate-current`). */
  readonly indicateCurrent?: boolean;
}

export interface HistoryResult {
  /** Newest first, as `alembic history` prints them. */
  readonly revisions: readonly RevisionSummary[];
  /** With `indicateCurrent`: the database's current revisions (the version table's rows). */
  readonly currentHeads?: readonly string[];
}

/** The revisions of the graph (or of a range of it), newest first. */
export async function history(options: HistoryOptions): Promise<HistoryResult> {
  const { start, end } = options.range === undefined ? {} : parseRevisionRange(options.range);
  if (start === 'current' || end === 'current') {
    throw new AmbixError(
      'UNKNOWN_REVISION',
      "'current' in a history range is the database's current revision.",
      {
        hint: "Use 'ambix current' to see it, then give its id in the range.",
      },
    );
  }
  const project = await loadProject(options.config);
  const revisions = revisionRange(project.map, start, end);
  const summaries = revisions.map((revision) => summarize(project, revision));
  if (options.indicateCurrent !== true) return { revisions: summaries };
  // The database runtime is loaded only when asked for, so plain history stays a file-only command.
  const { readHeads, withDatabase } = await import('../runtime/database.js');
  const currentHeads = await withDatabase(
    options.config,
    options,
    { lock: false, ensureTables: false },
    (context) => readHeads(context, project.map),
  );
  return { revisions: summaries, currentHeads };
}
