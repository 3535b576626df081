import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import { resolveRevisions } from '../graph/index.js';
import { loadProject } from './project.js';
import { type RevisionSummary, summarize } from './summary.js';

export interface ShowOptions {
  readonly config: ResolvedConfig;
  /** Any identifier: an id, a prefix, a label, `head`, `heads`, `label@head`, relative forms… */
  readonly revision: string;
}

export interface ShowResult {
  readonly revisions: readonly RevisionSummary[];
}

/** The revisions an identifier names, in full. */
export async function show(options: ShowOptions): Promise<ShowResult> {
  const project = await loadProject(options.config);
  const revisions = resolveRevisions(project.map, options.revision);
  if (revisions.length === 0) {
    throw new AmbixError('UNKNOWN_REVISION', `'${options.revision}' names no revision.`, {
      hint: "'base' is the state before the first migration; give a revision id, a label or 'heads'.",
      details: { identifier: options.revision },
    });
  }
  return { revisions: revisions.map((revision) => summarize(project, revision)) };
}
