import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import { parseRevisionRange, revisionRange } from '../graph/index.js';
import { loadProject } from './project.js';
import { type RevisionSummary, summarize } from './summary.js';

export interface HistoryOptions {
  readonly config: ResolvedConfig;
  /** `START:END`, `START:` or `:END`, each end any revision identifier. Default: everything. */
  readonly range?: string;
}

export interface HistoryResult {
  /** Newest first, as `alembic history` prints them. */
  readonly revisions: readonly RevisionSummary[];
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
  return { revisions: revisions.map((revision) => summarize(project, revision)) };
}
