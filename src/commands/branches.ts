import type { ResolvedConfig } from '../config/resolve-config.js';
import { loadProject } from './project.js';
import { type RevisionSummary, summarize } from './summary.js';

export interface BranchesOptions {
  readonly config: ResolvedConfig;
}

export interface BranchPoint {
  readonly revision: RevisionSummary;
  /** The revisions that build on the branch point, one per branch. */
  readonly branches: readonly RevisionSummary[];
}

export interface BranchesResult {
  readonly branchPoints: readonly BranchPoint[];
}

/** Every revision that more than one revision builds on, newest first. */
export async function branches(options: BranchesOptions): Promise<BranchesResult> {
  const project = await loadProject(options.config);
  const { map } = project;
  const branchPoints: BranchPoint[] = [];
  for (const revision of [...map.revisions].reverse()) {
    if (!revision.isBranchPoint) continue;
    branchPoints.push({
      revision: summarize(project, revision),
      branches: revision.children.map((id) => summarize(project, map.get(id)!)),
    });
  }
  return { branchPoints };
}
