import type { ResolvedConfig } from '../config/resolve-config.js';
import { resolveRevisions } from '../graph/index.js';
import { loadProject } from './project.js';
import { type RevisionSummary, summarize } from './summary.js';

export interface HeadsOptions {
  readonly config: ResolvedConfig;
  /**
   * Treat dependencies as parents: a revision that others depend on is then not a head (Alembic's
   * `--resolve-dependencies`). Without it, every revision no other revision builds on is listed.
   */
  readonly resolveDependencies?: boolean;
}

export interface HeadsResult {
  readonly heads: readonly RevisionSummary[];
}

/** The head revisions of the migration graph. */
export async function heads(options: HeadsOptions): Promise<HeadsResult> {
  const project = await loadProject(options.config);
  const { map } = project;
  const revisions = options.resolveDependencies
    ? resolveRevisions(map, 'heads')
    : map.heads.map((id) => map.get(id)!);
  return { heads: revisions.map((revision) => summarize(project, revision)) };
}
